package io.reapomni.calibration.weights;

import java.util.Arrays;

/**
 * A dense float32 tensor on the Java heap, row-major, as read from a checkpoint before it moves to a device.
 *
 * @param shape  the dimensions, outermost first
 * @param values the elements in row-major order; length is the product of {@code shape}
 */
public record FloatTensor(long[] shape, float[] values) {
    public FloatTensor {
        shape = shape.clone();
        long count = 1;
        for (long dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            count = Math.multiplyExact(count, dim);
        }
        if (count != values.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + count
                    + " elements, got " + values.length);
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public long dim(int axis) {
        return shape[axis];
    }
}
