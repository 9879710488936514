package io.reapomni.scoring.stats;

import io.reapomni.common.job.Modality;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The statistics of one or more calibration tasks, per modality. Read from the calibration engine's document by
 * {@link StatisticsDocument}; scoring reads only what it needs, so it does not depend on the engine.
 */
public record CalibrationStatistics(Map<Modality, ModalityStatistics> modalities) {

    public CalibrationStatistics {
        modalities = modalities.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(modalities));
    }

    public static CalibrationStatistics empty() {
        return new CalibrationStatistics(Map.of());
    }

    public Optional<ModalityStatistics> of(Modality modality) {
        return Optional.ofNullable(modalities.get(modality));
    }

    /** The modality's statistics when at least one of its samples went through the model. */
    public Optional<ModalityStatistics> withSamples(Modality modality) {
        return of(modality).filter(ModalityStatistics::hasSamples);
    }

    public CalibrationStatistics plus(CalibrationStatistics other) {
        Map<Modality, ModalityStatistics> merged = new EnumMap<>(Modality.class);
        merged.putAll(modalities);
        other.modalities.forEach((modality, stats) -> merged.merge(modality, stats, ModalityStatistics::plus));
        return new CalibrationStatistics(merged);
    }
}
