package io.reapomni.common.evaluation;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.reapomni.common.calibration.ConversionLoss;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What converting each evaluated model's weights into the compute precision could not keep, every weight the
 * evaluation used counted once however often it was placed on the device: nothing in float32; in float16, values
 * beyond its range clamped and values below it flushed to zero, which change what the model predicts.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ConversionLossByModel(ConversionLoss original, ConversionLoss pruned) {
    public static final ConversionLossByModel NONE = new ConversionLossByModel(ConversionLoss.NONE,
            ConversionLoss.NONE);

    public ConversionLossByModel {
        Objects.requireNonNull(original, "original");
        Objects.requireNonNull(pruned, "pruned");
    }

    /** One line for people per model that lost something, none when neither did. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        if (!original.isNone()) {
            lines.add("original model, float16: " + original.describe());
        }
        if (!pruned.isNone()) {
            lines.add("pruned model, float16: " + pruned.describe());
        }
        return lines;
    }
}
