package io.reapomni.calibration.stats;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The statistics file that scoring consumes: {@code {"modalities": {"audio": {...}, ...}}}, keyed by modality id.
 * Merging is exact and order-free, so that calibration can be split across any number of workers.
 */
public record CalibrationStats(Map<String, ModalityStats> modalities) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public CalibrationStats {
        // sorted, so that the file lists modalities in the same order on every run
        modalities = Collections.unmodifiableSortedMap(new TreeMap<>(modalities));
    }

    public static CalibrationStats empty() {
        return new CalibrationStats(Map.of());
    }

    public static CalibrationStats of(String modality, ModalityStats stats) {
        return new CalibrationStats(Map.of(modality, stats));
    }

    public CalibrationStats plus(CalibrationStats other) {
        Map<String, ModalityStats> merged = new TreeMap<>(modalities);
        other.modalities.forEach((modality, stats) -> merged.merge(modality, stats, ModalityStats::plus));
        return new CalibrationStats(merged);
    }

    public byte[] toJson() throws IOException {
        return JSON.writeValueAsBytes(this);
    }

    public static CalibrationStats fromJson(byte[] json) throws IOException {
        return JSON.readValue(json, CalibrationStats.class);
    }
}
