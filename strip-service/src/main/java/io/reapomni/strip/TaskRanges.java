package io.reapomni.strip;

import io.reapomni.common.job.SampleRange;

import java.util.ArrayList;
import java.util.List;

/** Splits a file's samples into consecutive ranges of one task each, every sample in exactly one range. */
final class TaskRanges {

    private TaskRanges() {
    }

    /** Ranges of {@code taskSamples} samples over {@code [0, samples)}; the last one holds what is left. */
    static List<SampleRange> split(int samples, int taskSamples) {
        if (samples < 0 || taskSamples < 1) {
            throw new IllegalArgumentException("cannot split " + samples + " samples into tasks of " + taskSamples);
        }
        List<SampleRange> ranges = new ArrayList<>();
        for (int first = 0; first < samples; first += taskSamples) {
            ranges.add(new SampleRange(first, Math.min(taskSamples, samples - first)));
        }
        return List.copyOf(ranges);
    }
}
