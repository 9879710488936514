package io.reapomni.common.evaluation;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * How far a pruned model's next-token predictions are from the original's on one sample, teacher-forced over its
 * whole token sequence x (prompt, media block and text), at positions p = 0..n-2 (DESIGN.md, Quality of the result).
 *
 * @param tokens          n, the sample's tokens
 * @param positions       n - 1, the positions compared
 * @param textPositions   the positions whose next token x[p+1] is an ordinary text token (no special or media id)
 * @param klMean          mean over the positions of KL(P_original(.|x≤p) ‖ P_pruned(.|x≤p)), in nats
 * @param klMax           the largest of those
 * @param top1Agreement   the fraction of positions where both models' most likely next token is the same
 * @param ceOriginal      mean cross-entropy of x[p+1] under the original over the text positions, in nats; empty
 *                        when the sample has none
 * @param cePruned        the same under the pruned model
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SampleQuality(
        String id,
        int tokens,
        int positions,
        int textPositions,
        double klMean,
        double klMax,
        double top1Agreement,
        OptionalDouble ceOriginal,
        OptionalDouble cePruned,
        Continuation generatedOriginal,
        Continuation generatedPruned) {

    public SampleQuality {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(generatedOriginal, "generatedOriginal");
        Objects.requireNonNull(generatedPruned, "generatedPruned");
        if (positions != tokens - 1 || positions < 1) {
            throw new IllegalArgumentException("sample " + id + ": " + positions + " positions compared for "
                    + tokens + " tokens");
        }
        if (textPositions < 0 || textPositions > positions) {
            throw new IllegalArgumentException("sample " + id + ": " + textPositions + " text positions of "
                    + positions);
        }
        if (ceOriginal.isPresent() != (textPositions > 0) || cePruned.isPresent() != (textPositions > 0)) {
            throw new IllegalArgumentException("sample " + id + ": cross-entropies are given exactly when it has text"
                    + " positions");
        }
        if (!Double.isFinite(klMean) || !Double.isFinite(klMax) || !(top1Agreement >= 0 && top1Agreement <= 1)
                || !Double.isFinite(ceOriginal.orElse(0)) || !Double.isFinite(cePruned.orElse(0))) {
            throw new IllegalArgumentException("sample " + id + ": its metrics must be finite, and the agreement a"
                    + " fraction (KL mean " + klMean + ", max " + klMax + ", top-1 agreement " + top1Agreement
                    + ", cross-entropies " + ceOriginal + " and " + cePruned + ")");
        }
    }
}
