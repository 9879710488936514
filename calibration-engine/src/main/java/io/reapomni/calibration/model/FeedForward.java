package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;

/** The second half of a decoder layer: a dense MLP or a routed mixture of experts. */
public sealed interface FeedForward permits DenseFeedForward, MoeBlock {

    /** {@code x} is the normed stream [N, hidden], float32; the output is [N, hidden], float32. */
    FeedForwardResult apply(NDArray x, DeviceLayout layout);
}
