package io.reapomni.common.calibration;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * What converting stored weights into float16 could not keep, counted so that it is reported and never silent:
 * finite values beyond float16's range, clamped to ±65504 instead of becoming infinite, and non-zero values below
 * float16's smallest subnormal, which became zero. Always zero for a float32 run. Counted by the calibration engine
 * as it stages weights, and reported by calibration runs and by evaluations ({@code QualityReport}).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ConversionLoss(long clamped, long flushedToZero) {
    public static final ConversionLoss NONE = new ConversionLoss(0, 0);

    public ConversionLoss {
        if (clamped < 0 || flushedToZero < 0) {
            throw new IllegalArgumentException("negative counts: " + clamped + ", " + flushedToZero);
        }
    }

    public ConversionLoss plus(ConversionLoss other) {
        return new ConversionLoss(clamped + other.clamped, flushedToZero + other.flushedToZero);
    }

    @JsonIgnore
    public boolean isNone() {
        return clamped == 0 && flushedToZero == 0;
    }

    /** For run summaries and logs. */
    public String describe() {
        if (isNone()) {
            return "every weight fits float16";
        }
        return clamped + " weights beyond float16's range clamped to ±65504, " + flushedToZero
                + " weights below float16's smallest value flushed to zero";
    }
}
