package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;

import java.util.Optional;

/** A feed-forward output [N, hidden], and what the router did when the layer has experts. */
public record FeedForwardResult(NDArray output, Optional<ExpertRouting> routing) {
}
