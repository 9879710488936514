package io.reapomni.calibration.model;

import ai.djl.ndarray.types.DataType;

/**
 * The element type of weights and matrix products. The residual stream, norms, softmaxes and statistics stay in
 * float32 either way, so that float16 only trades matmul precision for speed and memory.
 */
public enum ComputePrecision {
    FLOAT32(DataType.FLOAT32),
    FLOAT16(DataType.FLOAT16);

    private final DataType dataType;

    ComputePrecision(DataType dataType) {
        this.dataType = dataType;
    }

    public DataType dataType() {
        return dataType;
    }
}
