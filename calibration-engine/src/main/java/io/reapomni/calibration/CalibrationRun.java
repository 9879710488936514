package io.reapomni.calibration;

import io.reapomni.calibration.model.ComputeOptions;
import io.reapomni.common.job.Modality;

import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one calibration run of the engine ({@link Calibration#run}) reads and how it computes: the JSONL file of each
 * data set, how many of its first samples (non-blank lines, usable or not) to take, and where and in what precision
 * to compute. A job's calibration settings, as a user gives them, are {@code CalibrationSettings}.
 */
public record CalibrationRun(Map<Modality, Path> dataFiles, int samplesPerModality, ComputeOptions compute) {
    public CalibrationRun {
        Objects.requireNonNull(compute, "compute");
        if (dataFiles.isEmpty()) {
            throw new IllegalArgumentException("calibration needs at least one data file");
        }
        if (samplesPerModality < 1) {
            throw new IllegalArgumentException("the sample limit must be at least 1, not " + samplesPerModality);
        }
        // in modality order, so that runs over the same files see the samples in the same order
        dataFiles = Collections.unmodifiableMap(new EnumMap<>(dataFiles));
    }
}
