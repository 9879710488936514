package io.reapomni.calibration.data;

import java.util.List;

/** The samples of one calibration file that a run uses, and the ones it skipped with their reasons. */
public record CalibrationData(List<PreparedSample> samples, List<SampleProblem> skipped) {
    public CalibrationData {
        samples = List.copyOf(samples);
        skipped = List.copyOf(skipped);
    }

    public long tokenCount() {
        return samples.stream().mapToLong(PreparedSample::tokenCount).sum();
    }
}
