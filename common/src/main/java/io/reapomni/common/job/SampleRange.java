package io.reapomni.common.job;

/**
 * Samples {@code [first, first + count)} of one calibration file, numbered from 0 as {@link SampleLines} counts them:
 * the share of a file that one calibration task runs.
 */
public record SampleRange(int first, int count) {
    public SampleRange {
        if (first < 0) {
            throw new IllegalArgumentException("the first sample of a range must be at least 0, not " + first);
        }
        if (count < 1) {
            throw new IllegalArgumentException("a sample range must hold at least one sample, not " + count);
        }
        if ((long) first + count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the sample range " + first + "+" + count + " is too long");
        }
    }

    /** The first sample after the range. */
    public int end() {
        return first + count;
    }

    public boolean contains(int sample) {
        return sample >= first && sample < end();
    }

    @Override
    public String toString() {
        return "samples " + first + ".." + (end() - 1);
    }
}
