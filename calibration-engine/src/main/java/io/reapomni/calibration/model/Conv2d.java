package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** A 3×3, stride-2, padding-1 convolution, the audio tower's downsampling step; float32 in and out. */
public record Conv2d(NDArray weight, NDArray bias) {
    private static final Shape STRIDE = new Shape(2, 2);
    private static final Shape PADDING = new Shape(1, 1);
    private static final Shape DILATION = new Shape(1, 1);

    /** {@code x} is [batch, channels, height, width]. */
    public NDArray apply(NDArray x) {
        NDArray input = x.toType(weight.getDataType(), false);
        NDArray output = input.getNDArrayInternal()
                .convolution(input, weight, bias.toType(weight.getDataType(), false), STRIDE, PADDING, DILATION, 1)
                .singletonOrThrow();
        return output.toType(DataType.FLOAT32, false);
    }
}
