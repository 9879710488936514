package io.reapomni.cli.benchmark;

import java.util.Comparator;
import java.util.List;

/**
 * One timed run of a benchmark: bytes read and written, bytes copied in place (kernel-side), seconds, peak heap. A
 * negative amount was not measured in this process (a job that services ran).
 */
record Measurement(long read, long written, long copiedInPlace, double seconds, long peakHeap) {

    static final long NOT_MEASURED = -1;

    /** A job that other processes ran, of which this process saw how much it wrote and how long it took. */
    static Measurement elsewhere(long written, double seconds) {
        return new Measurement(NOT_MEASURED, written, NOT_MEASURED, seconds, NOT_MEASURED);
    }

    /** The run of median time (the later of the two middle ones for an even count). */
    static Measurement median(List<Measurement> runs) {
        return runs.stream().sorted(Comparator.comparingDouble(Measurement::seconds)).toList().get(runs.size() / 2);
    }
}
