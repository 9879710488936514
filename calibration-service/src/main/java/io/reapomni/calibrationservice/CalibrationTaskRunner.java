package io.reapomni.calibrationservice;

import io.reapomni.calibration.Calibration;
import io.reapomni.calibration.CalibrationListener;
import io.reapomni.calibration.CalibrationResult;
import io.reapomni.calibration.CalibrationSlice;
import io.reapomni.calibration.data.CalibrationDataException;
import io.reapomni.calibration.model.ComputeOptions;
import io.reapomni.common.calibration.CalibrationStats;
import io.reapomni.common.calibration.ConversionLoss;
import io.reapomni.common.events.CalibrationStatsReported;
import io.reapomni.common.events.CalibrationTask;
import io.reapomni.common.events.JobEvent;
import io.reapomni.common.events.JobPhase;
import io.reapomni.common.events.JobProgress;
import io.reapomni.common.job.CalibrationFile;
import io.reapomni.common.job.SampleRange;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.StoreLocation;
import io.reapomni.service.JobRejectedException;
import io.reapomni.service.JobStores;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one calibration task: the task's range of samples of its data file, through the model it names, into the
 * statistics event for scoring. Samples that cannot be used (unreadable, or past a limit of the worker's
 * {@code MediaLimits}) are reported in the statistics, even when none is usable; a model or data file that cannot be
 * read, or a task larger than a worker takes, rejects the task, and with it the job.
 */
final class CalibrationTaskRunner {

    private final ModelCache models;
    private final JobStores stores;
    private final ComputeOptions compute;
    private final int maxTaskSamples;

    /**
     * @param stores         opens the calibration data that tasks name
     * @param maxTaskSamples the most samples a task may ask for: a task's samples are all in memory at once
     */
    CalibrationTaskRunner(ModelCache models, JobStores stores, ComputeOptions compute,
                          int maxTaskSamples) {
        this.models = models;
        this.stores = stores;
        this.compute = compute;
        this.maxTaskSamples = maxTaskSamples;
    }

    /**
     * @param listener told how the task advances, between layers
     * @throws JobRejectedException when the model or a data file cannot be opened or read
     * @throws IOException          when the model's weights or the media's store fail during the run
     */
    TaskResult run(CalibrationTask task, CalibrationListener listener) throws JobRejectedException, IOException {
        if (task.sampleCount() > maxTaskSamples) {
            throw new JobRejectedException("calibration task " + task.taskId() + " asks for " + task.sampleCount()
                    + " samples, more than the " + maxTaskSamples + " a worker takes in one task"
                    + " (REAP_CALIBRATION_MAX_TASK_SAMPLES): plan smaller tasks (REAP_CALIBRATION_TASK_SAMPLES of the"
                    + " strip service)");
        }
        StoreLocation modelLocation = task.modelPath();
        Calibration calibration = model(modelLocation);
        List<ObjectStore> folders = new ArrayList<>();
        CalibrationResult result;
        try {
            List<CalibrationSlice> slices = new ArrayList<>();
            for (CalibrationTask.Slice slice : task.slices()) {
                CalibrationFile file = dataFile(task, slice);
                ObjectStore folder = stores.openForReading(file.folder(), "the " + slice.modality().id()
                        + " calibration data "
                        + file);
                folders.add(folder);
                slices.add(new CalibrationSlice(slice.modality(), folder, file.name(),
                        new SampleRange(slice.firstSample(), slice.sampleCount())));
            }
            result = calibration.run(slices, compute, listener);
        } catch (CalibrationDataException e) {
            throw new JobRejectedException("calibration task " + task.taskId() + " cannot read its data: "
                    + e.getMessage(), e);
        } catch (IOException | RuntimeException | Error e) {
            models.evict(modelLocation);
            throw e;
        } finally {
            for (ObjectStore folder : folders) {
                folder.close();
            }
        }
        CalibrationStats stats = result.statistics();
        return new TaskResult(
                new CalibrationStatsReported(task.jobId(), JobEvent.SCHEMA_VERSION, Instant.now(), task.taskId(),
                        task.tasks(), stats),
                JobProgress.of(task.jobId(), JobPhase.CALIBRATION, task.sampleCount(), task.sampleCount(), "samples",
                        describe(task, result)));
    }

    private Calibration model(StoreLocation location) throws JobRejectedException {
        try {
            return models.get(location);
        } catch (IllegalStateException e) {
            throw stores.refusal(location, "the model", e);
        } catch (CalibrationDataException e) {
            throw new JobRejectedException("the model at " + location + " cannot be calibrated: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new JobRejectedException("the model at " + location + " could not be read (" + e.getMessage()
                    + "): check that the store is reachable and the path is right", e);
        }
    }

    private static CalibrationFile dataFile(CalibrationTask task, CalibrationTask.Slice slice)
            throws JobRejectedException {
        try {
            return CalibrationFile.parse(slice.dataFile());
        } catch (IllegalArgumentException e) {
            throw new JobRejectedException("the " + slice.modality().id() + " calibration data of task "
                    + task.taskId() + " is not usable: " + e.getMessage(), e);
        }
    }

    /** What the task ran, then per data set what it used and skipped, and what float16 could not hold. */
    private static String describe(CalibrationTask task, CalibrationResult result) {
        StringBuilder text = new StringBuilder("calibration task " + task.taskId() + " of " + task.tasks()
                + " done in one pass (" + result.run().layers().size() + " layer loads) over");
        for (CalibrationTask.Slice slice : task.slices()) {
            text.append(' ').append(slice.modality().id()).append(' ')
                    .append(new SampleRange(slice.firstSample(), slice.sampleCount())).append(" of ")
                    .append(slice.dataFile()).append(',');
        }
        text.setLength(text.length() - 1);
        result.statistics().modalities().forEach((modality, stats) -> text.append("; ").append(modality).append(": ")
                .append(stats.samples()).append(" used (").append(stats.tokens()).append(" tokens), ")
                .append(stats.skipped().size()).append(" skipped"));
        ConversionLoss loss = result.run().conversionLoss();
        if (!loss.isNone()) {
            text.append("; ").append(loss.describe());
        }
        result.run().stagingMemory().ifPresent(state -> text.append("; staging memory ").append(state));
        result.run().hostStream().ifPresent(stream -> text.append("; ").append(stream.describe())
                .append(" (REAP_CALIBRATION_DEVICE_BATCH ").append(stream.tokens())
                .append(" or more keeps it on the GPU, where it has the memory)"));
        return text.toString();
    }
}
