package io.reapomni.calibration.weights;

import io.reapomni.common.calibration.ConversionLoss;

/**
 * What staging a set of weights took: bytes read from the checkpoint, seconds reading them (from the page cache or
 * the store) and seconds decoding them into the compute dtype, both with every worker thread busy, and what the
 * conversion could not keep.
 */
public record StageCost(long bytes, double readSeconds, double decodeSeconds, ConversionLoss loss) {
    public static final StageCost NONE = new StageCost(0, 0, 0, ConversionLoss.NONE);

    public StageCost plus(StageCost other) {
        return new StageCost(bytes + other.bytes, readSeconds + other.readSeconds,
                decodeSeconds + other.decodeSeconds, loss.plus(other.loss));
    }
}
