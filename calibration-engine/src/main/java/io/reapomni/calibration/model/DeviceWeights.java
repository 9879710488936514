package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.reapomni.calibration.weights.StagedWeights;
import io.reapomni.calibration.weights.TensorGroup;
import io.reapomni.calibration.weights.WeightStager;
import io.reapomni.common.calibration.ConversionLoss;

import java.io.IOException;
import java.util.List;

/**
 * Moves single named tensors onto a device through the {@link WeightStager}: for parts loaded once per run (the
 * media towers, the head), where a tensor at a time is simple and costs little beside a decoder layer. Each load
 * places its tensors through a {@link Placement} of its own, which counts what their conversion lost, so that a
 * loader that lives as long as its runner never carries one run's count into another.
 */
public final class DeviceWeights {
    private final WeightStager stager;
    private final ComputePrecision precision;

    public DeviceWeights(WeightStager stager, ComputePrecision precision) {
        this.stager = stager;
        this.precision = precision;
    }

    /** A new load's placement: its tensors go on {@code manager}'s device, owned by {@code manager}. */
    public Placement onto(NDManager manager) {
        return new Placement(manager);
    }

    /**
     * The tensors of one load, placed on one manager one after another, and what converting them into the compute
     * precision has lost so far. It belongs to the load that made it, on that load's thread.
     */
    public final class Placement {
        private final NDManager manager;
        private ConversionLoss loss = ConversionLoss.NONE;

        private Placement(NDManager manager) {
            this.manager = manager;
        }

        /** A matrix (or convolution kernel) in the compute precision. */
        public NDArray matrix(String name) throws IOException {
            return place(TensorGroup.of(name, precision.dataType()));
        }

        /**
         * A tensor kept in float32 whatever the compute precision: a norm weight, bias or other vector that acts on
         * the float32 residual stream, or a matrix whose results float16's range or rounding would decide (the
         * head). Converting into float32 loses nothing.
         */
        public NDArray float32(String name) throws IOException {
            return place(TensorGroup.of(name, DataType.FLOAT32));
        }

        /** {@code part}, built from this placement's tensors, with what their conversion lost. */
        public <T> Loaded<T> loaded(T part) {
            return new Loaded<>(part, loss);
        }

        private NDArray place(TensorGroup group) throws IOException {
            try (StagedWeights staged = stager.stage(List.of(group))) {
                NDArray tensor = staged.place(manager).tensors().get(group.key());
                loss = loss.plus(staged.cost().loss());
                return tensor;
            }
        }
    }
}
