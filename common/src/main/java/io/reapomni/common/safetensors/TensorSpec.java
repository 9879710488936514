package io.reapomni.common.safetensors;

import java.util.List;
import java.util.Objects;

/** A tensor to be written: its name, element type and shape; the header writer assigns its offsets. */
public record TensorSpec(String name, DType dtype, List<Long> shape) {
    public TensorSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        shape = List.copyOf(shape);
        for (long dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("tensor \"" + name + "\": negative dimension in shape " + shape);
            }
        }
        byteLengthOf(name, dtype, shape);
    }

    public long byteLength() {
        return byteLengthOf(name, dtype, shape);
    }

    private static long byteLengthOf(String name, DType dtype, List<Long> shape) {
        try {
            long count = dtype.byteSize();
            for (long dim : shape) {
                count = Math.multiplyExact(count, dim);
            }
            return count;
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("tensor \"" + name + "\": shape " + shape + " of " + dtype
                    + " overflows a 64-bit byte count", e);
        }
    }
}
