package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

/**
 * {@code down(silu(gate(x)) * up(x))}: one expert, or the dense MLP of a layer without experts, with the gate and
 * up projections stacked into one [2 × intermediate, hidden] matrix so that both are one product.
 */
public record GatedMlp(NDArray gateUp, NDArray down) {

    /** {@code x} and the result in the weights' dtype: experts stay in it until their outputs are gathered. */
    public NDArray applyInWeightType(NDArray x) {
        return Linear.timesTransposed(swiGlu(Linear.timesTransposed(x, gateUp)), down);
    }

    /** {@code silu(gate) * up} of gate and up projections stacked on the last axis, for any leading axes. */
    static NDArray swiGlu(NDArray projected) {
        long intermediate = projected.getShape().getLastDimension() / 2;
        NDArray gate = projected.get(new NDIndex().addEllipseDim().addSliceDim(0, intermediate));
        NDArray up = projected.get(new NDIndex().addEllipseDim().addSliceDim(intermediate, 2 * intermediate));
        return gate.mul(gate.getNDArrayInternal().sigmoid()).mul(up);
    }

    /** {@code x} and the result in float32, the residual stream's dtype. */
    public NDArray apply(NDArray x) {
        return applyInWeightType(x.toType(weightType(), false)).toType(DataType.FLOAT32, false);
    }

    public DataType weightType() {
        return gateUp.getDataType();
    }
}
