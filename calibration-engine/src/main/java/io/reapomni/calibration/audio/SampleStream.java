package io.reapomni.calibration.audio;

/** Mono samples read in order, a block at a time, so that a long clip never has to be in memory at its own rate. */
@FunctionalInterface
public interface SampleStream {

    /**
     * Reads up to {@code count} samples into {@code into} from {@code offset}; returns how many, at least one while
     * any are left, and -1 at the end.
     */
    int read(double[] into, int offset, int count) throws AudioDecodingException;

    /** The samples of an array. */
    static SampleStream of(double[] samples) {
        int[] next = {0};
        return (into, offset, count) -> {
            if (next[0] >= samples.length) {
                return count == 0 ? 0 : -1;
            }
            int read = Math.min(count, samples.length - next[0]);
            System.arraycopy(samples, next[0], into, offset, read);
            next[0] += read;
            return read;
        };
    }
}
