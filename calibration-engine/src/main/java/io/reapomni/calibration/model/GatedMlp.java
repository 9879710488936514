package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

/**
 * {@code down(silu(gate(x)) * up(x))}: the dense MLP of a layer without experts, with the gate and up projections
 * stacked into one [2 × intermediate, hidden] matrix so that both are one product.
 */
public record GatedMlp(NDArray gateUp, NDArray down) {

    /** {@code x} and the result in float32, the residual stream's dtype; the products in the weights' dtype. */
    public NDArray apply(NDArray x) {
        NDArray projected = Linear.timesTransposed(x.toType(gateUp.getDataType(), false), gateUp);
        return Linear.timesTransposed(swiGlu(projected), down).toType(DataType.FLOAT32, false);
    }

    /** {@code silu(gate) * up} of gate and up projections stacked on the last axis, for any leading axes. */
    private static NDArray swiGlu(NDArray projected) {
        long intermediate = projected.getShape().getLastDimension() / 2;
        NDArray gate = projected.get(new NDIndex().addEllipseDim().addSliceDim(0, intermediate));
        NDArray up = projected.get(new NDIndex().addEllipseDim().addSliceDim(intermediate, 2 * intermediate));
        return gate.mul(gate.getNDArrayInternal().sigmoid()).mul(up);
    }
}
