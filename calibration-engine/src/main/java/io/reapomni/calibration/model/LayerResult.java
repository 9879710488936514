package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;

import java.util.Optional;

/** The residual stream leaving a decoder layer, and what its router did when the layer has experts. */
public record LayerResult(NDArray hidden, Optional<ExpertRouting> routing) {
}
