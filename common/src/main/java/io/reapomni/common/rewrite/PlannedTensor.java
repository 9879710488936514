package io.reapomni.common.rewrite;

import io.reapomni.common.safetensors.DType;

import java.util.List;

/**
 * A tensor of an output shard: its new name and shape, and the source bytes it is made of (one range for a kept
 * tensor, one per kept row for a sliced router), in order.
 */
public record PlannedTensor(String targetName, DType dtype, List<Long> shape, List<ByteRange> sourceRanges) {
    public PlannedTensor {
        shape = List.copyOf(shape);
        sourceRanges = List.copyOf(sourceRanges);
    }

    public long byteLength() {
        return sourceRanges.stream().mapToLong(ByteRange::length).sum();
    }
}
