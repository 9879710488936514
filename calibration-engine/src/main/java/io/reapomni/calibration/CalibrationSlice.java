package io.reapomni.calibration;

import io.reapomni.common.job.Modality;
import io.reapomni.common.job.SampleRange;
import io.reapomni.common.storage.ObjectStore;

import java.util.Objects;

/**
 * The share of one calibration file that one task runs: samples {@code range} of the JSONL file {@code file} in
 * {@code folder} (S3 or local; the media its lines name are read from there too), the data set {@code dataSet}.
 * The store stays the caller's.
 */
public record CalibrationSlice(Modality dataSet, ObjectStore folder, String file, SampleRange range) {
    public CalibrationSlice {
        Objects.requireNonNull(dataSet, "dataSet");
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(range, "range");
    }

    @Override
    public String toString() {
        return dataSet.id() + " " + range + " of " + file + " in " + folder.location();
    }
}
