package io.reapomni.common.rewrite;

import io.reapomni.common.safetensors.EncodedHeader;
import io.reapomni.common.safetensors.SafetensorsHeaderWriter;
import io.reapomni.common.safetensors.TensorSpec;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.Segment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One output shard: which source shard its bytes come from, its new name, and its tensors in source data order.
 * The shard is a new header followed by byte ranges of the source, so writing it copies bytes and decodes nothing.
 */
public record ShardPlan(String sourceKey, String targetKey, Map<String, String> metadata, List<PlannedTensor> tensors) {
    public ShardPlan {
        metadata = Map.copyOf(metadata);
        tensors = List.copyOf(tensors);
    }

    public EncodedHeader header() {
        List<TensorSpec> specs = tensors.stream()
                .map(tensor -> new TensorSpec(tensor.targetName(), tensor.dtype(), tensor.shape()))
                .toList();
        return SafetensorsHeaderWriter.encode(metadata, specs);
    }

    /** The shard's content: the header, then the source ranges with neighbours merged into one copy. */
    public List<Segment> segments(ObjectStore source) {
        List<Segment> segments = new ArrayList<>();
        segments.add(new Segment.Bytes(header().bytes()));
        for (ByteRange range : coalescedRanges()) {
            segments.add(new Segment.Range(source, sourceKey, range.offset(), range.length()));
        }
        return segments;
    }

    /** Source ranges in output order, adjacent ones merged: consecutive kept tensors become one large copy. */
    public List<ByteRange> coalescedRanges() {
        List<ByteRange> merged = new ArrayList<>();
        for (PlannedTensor tensor : tensors) {
            for (ByteRange range : tensor.sourceRanges()) {
                int last = merged.size() - 1;
                if (last >= 0 && merged.get(last).end() == range.offset()) {
                    merged.set(last, new ByteRange(merged.get(last).offset(), merged.get(last).length() + range.length()));
                } else {
                    merged.add(range);
                }
            }
        }
        return merged;
    }

    public long dataLength() {
        return tensors.stream().mapToLong(PlannedTensor::byteLength).sum();
    }
}
