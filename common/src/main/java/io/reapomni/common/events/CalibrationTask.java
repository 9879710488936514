package io.reapomni.common.events;

import io.reapomni.common.job.Modality;

import java.time.Instant;

/**
 * Run samples {@code [firstSample, firstSample + sampleCount)} of one calibration file through the model and report
 * their statistics. Keyed by task id, so that the tasks of one job spread over the calibration workers.
 *
 * @param taskId  unique within the job; statistics carry it, so a redelivered task changes nothing
 * @param tasks   how many tasks the job has, so that scoring knows when the last one is in
 */
public record CalibrationTask(String jobId, int schemaVersion, Instant timestamp, String taskId, int tasks,
                              String modelPath, Modality modality, String dataFile, int firstSample, int sampleCount)
        implements JobEvent {
    @Override
    public String key() {
        return taskId;
    }
}
