package io.reapomni.calibration.data;

import java.util.List;

/** A JSONL file's usable samples and, for every other line, why it was skipped; both in file order. */
public record CalibrationLines(List<CalibrationSample> samples, List<SampleProblem> problems) {
    public CalibrationLines {
        samples = List.copyOf(samples);
        problems = List.copyOf(problems);
    }
}
