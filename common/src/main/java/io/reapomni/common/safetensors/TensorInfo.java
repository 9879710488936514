package io.reapomni.common.safetensors;

import java.util.List;

/**
 * One tensor entry of a safetensors header.
 *
 * @param begin offset of the first byte, relative to the start of the data section (after the header)
 * @param end   offset one past the last byte, relative to the start of the data section
 */
public record TensorInfo(String name, DType dtype, List<Long> shape, long begin, long end) {
    public TensorInfo {
        shape = List.copyOf(shape);
    }

    public long byteLength() {
        return end - begin;
    }

    public long elementCount() {
        long count = 1;
        for (long dim : shape) {
            count = Math.multiplyExact(count, dim);
        }
        return count;
    }
}
