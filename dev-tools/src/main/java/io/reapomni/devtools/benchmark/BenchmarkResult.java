package io.reapomni.devtools.benchmark;

import io.reapomni.calibration.model.LayerCost;
import io.reapomni.calibration.model.RunReport;

/**
 * What a calibration benchmark measured.
 *
 * @param checkpointBytes the synthetic checkpoint's tensor bytes (bf16)
 * @param seconds         the whole run: embedding, then every layer read, decoded, placed and computed
 * @param run             per layer where the time went
 * @param pageCache       whether the weights came from the disk or from memory
 * @param baseline        the same layer's bytes read plainly, by one thread, as the yardstick for the staging
 * @param warmUpSeconds   the same samples' pass before the run: the device's start, the allocator's growth, plans
 *                        for the shapes, pinning, first reads (a worker pays them once per process)
 * @param stagingMemory   whether staging memory was pinned for the copies to the GPU, or why not
 */
public record BenchmarkResult(BenchmarkSpec spec, long checkpointBytes, double seconds, RunReport run,
                              PageCache pageCache, PlainRead baseline, double warmUpSeconds, String stagingMemory) {

    /** Whether the page cache was dropped before the run, and why not when it was asked for and could not be. */
    public record PageCache(boolean dropped, String description) {
    }

    /** {@code bytes} of one layer's weights read sequentially by one thread in {@code seconds}. */
    public record PlainRead(long bytes, double seconds) {
        public double bytesPerSecond() {
            return bytes / seconds;
        }
    }

    /** Tokens through the whole thinker per second, end to end: weights read and converted included. */
    public double tokensPerSecond() {
        return spec.totalTokens() / seconds;
    }

    /** Tokens through every layer per second of the device's computation alone. */
    public double computeTokensPerSecond() {
        return spec.totalTokens() / run.layers().stream().mapToDouble(LayerCost::computeSeconds).sum();
    }

    public double secondsPerLayer() {
        return seconds / spec.layers();
    }
}
