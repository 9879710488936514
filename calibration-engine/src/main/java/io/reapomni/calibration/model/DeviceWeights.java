package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.reapomni.calibration.weights.FloatTensor;
import io.reapomni.calibration.weights.WeightSource;

import java.io.IOException;

/** Moves named tensors from a {@link WeightSource} onto the manager's device. */
public final class DeviceWeights {
    private final WeightSource source;
    private final ComputePrecision precision;

    public DeviceWeights(WeightSource source, ComputePrecision precision) {
        this.source = source;
        this.precision = precision;
    }

    /** A matrix (or convolution kernel) in the compute precision. */
    public NDArray matrix(NDManager manager, String name) throws IOException {
        return upload(manager, name, precision.dataType());
    }

    /** A norm weight, bias or other vector kept in float32 because it acts on the float32 residual stream. */
    public NDArray vector(NDManager manager, String name) throws IOException {
        return upload(manager, name, DataType.FLOAT32);
    }

    public boolean has(String name) throws IOException {
        return source.has(name);
    }

    private NDArray upload(NDManager manager, String name, DataType type) throws IOException {
        FloatTensor tensor = source.load(name);
        NDArray borrowed = manager.create(tensor.values(), new Shape(tensor.shape()));
        // On the CPU, DJL's tensor borrows the direct buffer it was made from, and direct buffers count against
        // -XX:MaxDirectMemorySize (by default the heap's size) until a GC: a copy that PyTorch owns releases the
        // buffer, so that a layer larger than the heap still loads.
        NDArray owned = type == DataType.FLOAT32 ? borrowed.duplicate() : borrowed.toType(type, false);
        borrowed.close();
        return owned;
    }
}
