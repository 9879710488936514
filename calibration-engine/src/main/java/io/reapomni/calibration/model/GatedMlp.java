package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** {@code down(silu(gate(x)) * up(x))}: one expert, or the dense MLP of a layer without experts. */
public record GatedMlp(Linear gate, Linear up, Linear down) {

    public NDArray apply(NDArray x) {
        NDArray gated = gate.apply(x);
        return down.apply(gated.mul(Activation.sigmoid(gated)).mul(up.apply(x)));
    }
}
