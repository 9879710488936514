package io.reapomni.calibration.stats;

/** A calibration sample that was not used, with a reason a person can act on. */
public record SkippedSample(String id, String reason) {
}
