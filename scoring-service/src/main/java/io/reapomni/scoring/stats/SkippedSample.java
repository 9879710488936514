package io.reapomni.scoring.stats;

/** A calibration sample that was not used, with the reason the calibration worker gave. */
public record SkippedSample(String id, String reason) {
}
