package io.reapomni.common.events;

import io.reapomni.common.job.Modality;
import io.reapomni.common.storage.StoreLocation;

import java.time.Instant;
import java.util.List;

/**
 * Run these shares of a job's calibration files through the model, as one unit (each layer's weights read once for
 * all of them), and report their statistics. Keyed by task id, so that the tasks of one job spread over the
 * calibration workers.
 *
 * @param taskId  unique within the job; statistics carry it, so a redelivered task changes nothing
 * @param tasks   how many tasks the job has, so that scoring knows when the last one is in
 * @param slices  the samples of each data file that this task runs, in modality order
 */
public record CalibrationTask(String jobId, int schemaVersion, Instant timestamp, String taskId, int tasks,
                              StoreLocation modelPath, List<Slice> slices) implements JobEvent {
    public CalibrationTask {
        slices = List.copyOf(slices);
        if (slices.isEmpty()) {
            throw new IllegalArgumentException("calibration task " + taskId + " has no samples to run");
        }
    }

    /** Samples {@code [firstSample, firstSample + sampleCount)} of one calibration file of data set {@code modality}. */
    public record Slice(Modality modality, String dataFile, int firstSample, int sampleCount) {
        public Slice {
            if (firstSample < 0 || sampleCount < 1) {
                throw new IllegalArgumentException("a calibration slice covers at least one sample from sample 0 on,"
                        + " not " + sampleCount + " from " + firstSample);
            }
        }
    }

    /** All samples this task runs. */
    public int sampleCount() {
        return slices.stream().mapToInt(Slice::sampleCount).sum();
    }

    @Override
    public String key() {
        return taskId;
    }
}
