package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import io.reapomni.calibration.stats.RoutingTrace;

import java.util.Optional;

/** A feed-forward output [T, hidden], and the routing that produced it when the layer has experts. */
public record FeedForwardResult(NDArray output, Optional<RoutingTrace> routing) {
}
