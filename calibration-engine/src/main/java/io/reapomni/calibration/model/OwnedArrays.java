package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.nio.ByteOrder;

/**
 * Java values as arrays whose memory PyTorch owns. On the CPU, DJL's {@code manager.create(values)} makes a tensor
 * over a Java direct buffer that only that one NDArray object keeps alive: a view of it (a reshape, a slice, a
 * transpose) that outlives the object reads freed memory once the collector releases the buffer. Here the tensor is
 * allocated by PyTorch and the values are written into it; on the GPU DJL copies them to the device anyway.
 */
public final class OwnedArrays {
    private OwnedArrays() {
    }

    public static NDArray floats(NDManager manager, float[] values, Shape shape) {
        if (manager.getDevice().isGpu()) {
            return manager.create(values, shape);
        }
        NDArray array = manager.create(shape, DataType.FLOAT32);
        array.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer().put(values);
        return array;
    }

    public static NDArray longs(NDManager manager, long[] values) {
        if (manager.getDevice().isGpu()) {
            return manager.create(values);
        }
        NDArray array = manager.create(new Shape(values.length), DataType.INT64);
        array.toByteBuffer(true).order(ByteOrder.nativeOrder()).asLongBuffer().put(values);
        return array;
    }
}
