package io.reapomni.common.calibration;

/** A calibration sample that was not used, with a reason a person can act on. */
public record SkippedSample(String id, String reason) {

    public SkippedSample {
        if (id == null || reason == null) {
            throw new IllegalArgumentException("a skipped sample needs an id and a reason");
        }
    }
}
