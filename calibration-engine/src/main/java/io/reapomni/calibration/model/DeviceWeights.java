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
        NDArray array = manager.create(tensor.values(), new Shape(tensor.shape()));
        if (type == DataType.FLOAT32) {
            return array;
        }
        NDArray converted = array.toType(type, false);
        array.close();
        return converted;
    }
}
