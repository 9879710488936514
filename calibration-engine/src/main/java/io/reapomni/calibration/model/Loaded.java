package io.reapomni.calibration.model;

import io.reapomni.common.calibration.ConversionLoss;

import java.util.Objects;

/**
 * A part of the model placed on a device by one load (a media tower, the head), with what converting its weights
 * into the compute precision could not keep: given back together, so that the count travels with the load that
 * made it and is never kept where another load could add to it.
 */
public record Loaded<T>(T part, ConversionLoss loss) {
    public Loaded {
        Objects.requireNonNull(part, "part");
        Objects.requireNonNull(loss, "loss");
    }
}
