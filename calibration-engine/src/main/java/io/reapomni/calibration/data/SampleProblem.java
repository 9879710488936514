package io.reapomni.calibration.data;

import java.util.Optional;

/** A sample that was skipped: where it is (the JSONL line, and its id when it has one) and why. */
public record SampleProblem(Optional<String> id, int line, String reason) {
    @Override
    public String toString() {
        return "line " + line + id.map(value -> " (id " + value + ")").orElse("") + ": " + reason;
    }
}
