package io.reapomni.common.rewrite;

import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.checkpoint.Shard;
import io.reapomni.common.plan.TensorAction;
import io.reapomni.common.plan.TensorMapping;
import io.reapomni.common.safetensors.TensorInfo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lays the written tensors out into output shards: each source shard becomes one output shard holding its kept
 * tensors in their source data order, and shards left empty disappear. Sharded outputs are numbered anew
 * ({@code model-00001-of-0000N.safetensors}); a single-file checkpoint stays {@code model.safetensors}.
 */
public final class RewriteLayout {
    private RewriteLayout() {
    }

    public static List<ShardPlan> of(Checkpoint checkpoint, TensorMapping mapping) {
        Map<String, TensorAction> actions = new HashMap<>();
        mapping.actions().forEach(action -> actions.put(action.sourceName(), action));
        List<Shard> sources = new ArrayList<>();
        List<List<PlannedTensor>> contents = new ArrayList<>();
        for (Shard shard : checkpoint.shards()) {
            List<PlannedTensor> tensors = new ArrayList<>();
            for (TensorInfo tensor : shard.header().tensors()) {
                plan(tensor, actions.get(tensor.name()), shard.header().dataStart(), tensors);
            }
            if (!tensors.isEmpty()) {
                sources.add(shard);
                contents.add(tensors);
            }
        }
        boolean singleFile = checkpoint.index().isEmpty() && sources.size() == 1;
        List<ShardPlan> shards = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            String target = singleFile ? Checkpoint.SINGLE_FILE_KEY
                    : String.format("model-%05d-of-%05d.safetensors", i + 1, sources.size());
            Shard source = sources.get(i);
            shards.add(new ShardPlan(source.key(), target, source.header().metadata(), contents.get(i)));
        }
        return List.copyOf(shards);
    }

    private static void plan(TensorInfo tensor, TensorAction action, long dataStart, List<PlannedTensor> out) {
        long begin = dataStart + tensor.begin();
        if (action instanceof TensorAction.Keep keep) {
            out.add(new PlannedTensor(keep.targetName(), tensor.dtype(), keep.shape(),
                    tensor.byteLength() == 0 ? List.of() : List.of(new ByteRange(begin, tensor.byteLength()))));
        } else if (action instanceof TensorAction.SliceRows slice) {
            long rowBytes = tensor.byteLength() / tensor.shape().get(0);
            List<ByteRange> rows = new ArrayList<>();
            for (int row : slice.rows()) {
                if (rowBytes > 0) {
                    rows.add(new ByteRange(begin + row * rowBytes, rowBytes));
                }
            }
            out.add(new PlannedTensor(slice.targetName(), tensor.dtype(), slice.shape(), rows));
        }
        // A dropped tensor contributes nothing.
    }
}
