package io.reapomni.common.plan;

import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.checkpoint.CheckpointException;
import io.reapomni.common.checkpoint.Component;
import io.reapomni.common.checkpoint.ComponentSize;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.checkpoint.Qwen3OmniLayout;
import io.reapomni.common.safetensors.TensorInfo;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.IntStream;

/**
 * What a plan does to a checkpoint, for the CLI and the report: sizes per component before and after, what happens
 * to how many tensors, which layers go and which experts stay.
 *
 * @param renamed tensors kept under a new name (renumbered layer or expert)
 * @param kept    tensors kept under their own name
 */
public record PlanEffect(Map<Component, ComponentSize> before, Map<Component, ComponentSize> after,
                         int removed, int kept, int renamed, int sliced,
                         Map<MoeStack, List<Integer>> layersRemoved,
                         Map<MoeStack, SortedMap<Integer, List<Integer>>> expertsKept,
                         long outputBytes) {
    public PlanEffect {
        before = Collections.unmodifiableMap(new EnumMap<>(before));
        after = Collections.unmodifiableMap(after.isEmpty() ? Map.of() : new EnumMap<>(after));
        layersRemoved = layersRemoved.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(layersRemoved));
        expertsKept = expertsKept.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(expertsKept));
    }

    public static PlanEffect of(Checkpoint checkpoint, PruningPlan plan) throws CheckpointException {
        TensorMapping mapping = TensorMapping.of(checkpoint.tensorInfos(), plan);
        Map<Component, ComponentSize> after = new EnumMap<>(Component.class);
        int removed = 0;
        int kept = 0;
        int renamed = 0;
        int sliced = 0;
        for (TensorAction action : mapping.actions()) {
            TensorInfo source = checkpoint.tensor(action.sourceName()).info();
            if (action instanceof TensorAction.Drop) {
                removed++;
                continue;
            }
            List<Long> shape;
            if (action instanceof TensorAction.SliceRows slice) {
                sliced++;
                shape = slice.shape();
            } else {
                TensorAction.Keep keep = (TensorAction.Keep) action;
                if (keep.renamed()) {
                    renamed++;
                } else {
                    kept++;
                }
                shape = keep.shape();
            }
            long elements = shape.stream().mapToLong(Long::longValue).reduce(1, Math::multiplyExact);
            after.merge(Qwen3OmniLayout.component(source.name()),
                    new ComponentSize(elements, elements * source.dtype().byteSize()),
                    ComponentSize::plus);
        }
        Map<MoeStack, List<Integer>> layersRemoved = new EnumMap<>(MoeStack.class);
        for (var entry : plan.layers().entrySet()) {
            int layerCount = checkpoint.config().stack(entry.getKey()).numHiddenLayers();
            layersRemoved.put(entry.getKey(), IntStream.range(0, layerCount)
                    .filter(layer -> !entry.getValue().contains(layer)).boxed().toList());
        }
        long outputBytes = after.values().stream().mapToLong(ComponentSize::bytes).sum();
        return new PlanEffect(checkpoint.inventory().components(), after, removed, kept, renamed, sliced,
                layersRemoved, plan.experts(), outputBytes);
    }
}
