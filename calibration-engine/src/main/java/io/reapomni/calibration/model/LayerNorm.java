package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;

/** Layer norm over the last axis with the biased variance, as {@code torch.nn.LayerNorm}. */
public record LayerNorm(NDArray weight, NDArray bias, float eps) {

    /** PyTorch's default epsilon, which the audio tower's norms use. */
    public static final float TORCH_DEFAULT_EPS = 1e-5f;

    public NDArray apply(NDArray x) {
        NDArray centered = x.sub(x.mean(new int[] {-1}, true));
        NDArray variance = centered.square().mean(new int[] {-1}, true);
        return centered.mul(variance.add(eps).pow(-0.5)).mul(weight).add(bias);
    }
}
