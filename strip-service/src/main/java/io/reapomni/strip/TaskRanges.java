package io.reapomni.strip;

import io.reapomni.common.job.SampleRange;

import java.util.ArrayList;
import java.util.List;

/** Splits a file's samples into consecutive ranges, every sample in exactly one range. */
final class TaskRanges {

    private TaskRanges() {
    }

    /**
     * {@code parts} consecutive ranges over {@code [0, samples)} whose sizes differ by at most one, larger ones first;
     * with fewer samples than parts, the last ranges are empty and left out.
     */
    static List<SampleRange> split(int samples, int parts) {
        if (samples < 0 || parts < 1) {
            throw new IllegalArgumentException("cannot split " + samples + " samples into " + parts + " parts");
        }
        List<SampleRange> ranges = new ArrayList<>();
        int first = 0;
        for (int part = 0; part < parts && first < samples; part++) {
            int size = samples / parts + (part < samples % parts ? 1 : 0);
            ranges.add(new SampleRange(first, size));
            first += size;
        }
        return List.copyOf(ranges);
    }
}
