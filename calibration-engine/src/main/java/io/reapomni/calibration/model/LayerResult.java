package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import io.reapomni.calibration.stats.RoutingTrace;

import java.util.Optional;

/** The residual stream leaving a decoder layer, and its routing when the layer has experts. */
public record LayerResult(NDArray hidden, Optional<RoutingTrace> routing) {
}
