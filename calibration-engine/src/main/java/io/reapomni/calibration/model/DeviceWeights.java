package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.reapomni.calibration.weights.StagedWeights;
import io.reapomni.calibration.weights.TensorGroup;
import io.reapomni.calibration.weights.WeightStager;

import java.io.IOException;
import java.util.List;

/**
 * Moves single named tensors onto the manager's device through the {@link WeightStager}: for parts loaded once per
 * run (the media towers, the head), where a tensor at a time is simple and costs little beside a decoder layer.
 */
public final class DeviceWeights {
    private final WeightStager stager;
    private final ComputePrecision precision;

    public DeviceWeights(WeightStager stager, ComputePrecision precision) {
        this.stager = stager;
        this.precision = precision;
    }

    /** A matrix (or convolution kernel) in the compute precision. */
    public NDArray matrix(NDManager manager, String name) throws IOException {
        return place(manager, TensorGroup.of(name, precision.dataType()));
    }

    /** A norm weight, bias or other vector kept in float32 because it acts on the float32 residual stream. */
    public NDArray vector(NDManager manager, String name) throws IOException {
        return place(manager, TensorGroup.of(name, DataType.FLOAT32));
    }

    public boolean has(String name) {
        return stager.source().has(name);
    }

    private NDArray place(NDManager manager, TensorGroup group) throws IOException {
        try (StagedWeights staged = stager.stage(List.of(group))) {
            return staged.place(manager).tensors().get(group.key());
        }
    }
}
