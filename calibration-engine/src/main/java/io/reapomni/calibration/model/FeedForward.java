package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;

/** The second half of a decoder layer: a dense MLP or a routed mixture of experts. */
public sealed interface FeedForward permits DenseFeedForward, MoeBlock {

    FeedForwardResult apply(NDArray x);
}
