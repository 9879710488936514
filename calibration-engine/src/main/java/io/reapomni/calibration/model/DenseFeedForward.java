package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;

import java.util.Optional;

/** The feed-forward of an {@code mlp_only} layer: one gated MLP over every token, nothing routed. */
public record DenseFeedForward(GatedMlp mlp) implements FeedForward {

    @Override
    public FeedForwardResult apply(NDArray x, DeviceLayout layout) {
        return new FeedForwardResult(mlp.apply(x), Optional.empty());
    }
}
