package io.reapomni.common.evaluation;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The metrics of {@link SampleQuality} over several samples, token-weighted: KL and top-1 agreement averaged over all
 * compared positions, cross-entropies over all text positions; {@code klMax} is the largest of any position.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record QualityAverage(
        int samples,
        long positions,
        long textPositions,
        double klMean,
        double klMax,
        double top1Agreement,
        OptionalDouble ceOriginal,
        OptionalDouble cePruned) {

    /** The token-weighted average of {@code samples}; empty when there are none. */
    public static Optional<QualityAverage> of(List<SampleQuality> samples) {
        if (samples.isEmpty()) {
            return Optional.empty();
        }
        long positions = 0;
        long textPositions = 0;
        double kl = 0;
        double klMax = 0;
        double agreements = 0;
        double ceOriginal = 0;
        double cePruned = 0;
        for (SampleQuality sample : samples) {
            positions += sample.positions();
            textPositions += sample.textPositions();
            kl += sample.klMean() * sample.positions();
            klMax = Math.max(klMax, sample.klMax());
            agreements += sample.top1Agreement() * sample.positions();
            ceOriginal += sample.ceOriginal().orElse(0) * sample.textPositions();
            cePruned += sample.cePruned().orElse(0) * sample.textPositions();
        }
        return Optional.of(new QualityAverage(samples.size(), positions, textPositions, kl / positions,
                klMax, agreements / positions,
                textPositions == 0 ? OptionalDouble.empty() : OptionalDouble.of(ceOriginal / textPositions),
                textPositions == 0 ? OptionalDouble.empty() : OptionalDouble.of(cePruned / textPositions)));
    }

    /**
     * One line for people: {@code quality on 8 held-out audio samples: KL 0.041 nats/token, top-1 agreement 93.2%,
     * cross-entropy 2.31 -> 2.38}; {@code what} names the samples ("held-out audio samples").
     */
    public String describe(String what) {
        String line = String.format(Locale.ROOT, "quality on %d %s: KL %.3g nats/token, top-1 agreement %.1f%%",
                samples, what, klMean, 100 * top1Agreement);
        if (ceOriginal.isPresent()) {
            line += String.format(Locale.ROOT, ", cross-entropy %.2f -> %.2f", ceOriginal.getAsDouble(),
                    cePruned.orElseThrow());
        }
        return line;
    }
}
