package io.reapomni.common.job;

import java.util.Objects;
import java.util.Optional;

/**
 * The audio samples a job evaluates its written model on: samples {@code [firstSample, firstSample + sampleCount)} of
 * the audio calibration file {@code dataFile} (numbered from 0 as {@link SampleLines} counts them), which no
 * calibration task runs, and the greedy tokens asked of each model after each.
 */
public record HeldOutSamples(String dataFile, int firstSample, int sampleCount, int generateTokens) {
    public HeldOutSamples {
        Objects.requireNonNull(dataFile, "dataFile");
        new SampleRange(firstSample, sampleCount);
        if (generateTokens < 0) {
            throw new IllegalArgumentException("generateTokens must be at least 0, not " + generateTokens);
        }
    }

    public SampleRange range() {
        return new SampleRange(firstSample, sampleCount);
    }

    /**
     * Which samples of an audio file of {@code total} samples are held out, and how many of the others calibration
     * may use: the last {@code settings.samples()} samples of the file, but never more than half of it, so that
     * calibration keeps the rest; calibration takes the first {@code calibrationLimit} samples before them. The rule
     * does not depend on whether the job calibrates, so that a plan scored in a dry run and executed later is
     * evaluated on the samples its calibration did not see.
     */
    public static Split split(int total, int calibrationLimit, EvaluationSettings settings) {
        if (total < 0 || calibrationLimit < 1) {
            throw new IllegalArgumentException("a file of " + total + " samples with a calibration limit of "
                    + calibrationLimit);
        }
        int heldOut = Math.min(settings.samples(), total / 2);
        return new Split(Math.min(calibrationLimit, total - heldOut),
                heldOut == 0 ? Optional.empty() : Optional.of(new SampleRange(total - heldOut, heldOut)));
    }

    /**
     * @param calibrationSamples the samples from the file's start that calibration runs
     * @param heldOut            the samples held out for evaluation; empty when none can be
     */
    public record Split(int calibrationSamples, Optional<SampleRange> heldOut) {
    }
}
