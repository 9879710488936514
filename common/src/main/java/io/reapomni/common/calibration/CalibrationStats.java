package io.reapomni.common.calibration;

import io.reapomni.common.job.Modality;
import io.reapomni.common.json.StrictJson;

import java.io.IOException;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The statistics file that calibration writes and scoring consumes: {@code {"modalities": {"audio": {...}, ...}}},
 * keyed by modality id. Merging is exact and order-free, so that calibration can be split across any number of
 * workers.
 *
 * <p>Keys stay modality ids rather than {@link Modality} values so that the file lists them sorted by id, as it always
 * has; the constructor still rejects an id that is no modality.
 */
public record CalibrationStats(Map<String, ModalityStats> modalities) {
    public CalibrationStats {
        if (modalities == null) {
            throw new IllegalArgumentException("modalities must be an object");
        }
        modalities.forEach((id, stats) -> {
            Modality.parse(id);
            if (stats == null) {
                throw new IllegalArgumentException("modalities." + id + " must be an object");
            }
        });
        // sorted, so that the file lists modalities in the same order on every run
        modalities = Collections.unmodifiableSortedMap(new TreeMap<>(modalities));
    }

    public static CalibrationStats empty() {
        return new CalibrationStats(Map.of());
    }

    public static CalibrationStats of(Modality modality, ModalityStats stats) {
        return new CalibrationStats(Map.of(modality.id(), stats));
    }

    public Optional<ModalityStats> modality(Modality modality) {
        return Optional.ofNullable(modalities.get(modality.id()));
    }

    /** The modality's statistics when at least one of its samples went through the model. */
    public Optional<ModalityStats> withSamples(Modality modality) {
        return modality(modality).filter(ModalityStats::hasSamples);
    }

    public CalibrationStats plus(CalibrationStats other) {
        Map<String, ModalityStats> merged = new TreeMap<>(modalities);
        other.modalities.forEach((modality, stats) -> merged.merge(modality, stats, ModalityStats::plus));
        return new CalibrationStats(merged);
    }

    public byte[] toJson() throws IOException {
        return StrictJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
    }

    /** @throws IOException also when the document is not JSON of this shape; the message names the field */
    public static CalibrationStats fromJson(byte[] json) throws IOException {
        return StrictJson.MAPPER.readValue(json, CalibrationStats.class);
    }
}
