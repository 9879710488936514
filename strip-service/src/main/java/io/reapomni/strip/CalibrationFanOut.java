package io.reapomni.strip;

import io.reapomni.common.events.CalibrationTask;
import io.reapomni.common.events.JobEvent;
import io.reapomni.common.job.CalibrationFile;
import io.reapomni.common.job.CalibrationSettings;
import io.reapomni.common.job.Modality;
import io.reapomni.common.job.SampleLines;
import io.reapomni.common.job.SampleRange;
import io.reapomni.common.storage.LocalLocationRefusedException;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.StoreLocation;
import io.reapomni.service.JobRejectedException;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Splits a calibrated job into calibration tasks: counts the samples of each data file (up to the request's samples
 * per modality, by the rule of {@link SampleLines}) and gives each of the job's tasks an even share of every file.
 * A worker runs a task as one unit, reading each layer's weights once for all its samples, so a job has as many tasks
 * as there are workers to share it, and more only when a file holds more than {@code maxTaskSamples} samples per
 * task; every worker then reads the model once per job.
 */
public final class CalibrationFanOut {

    private final Function<StoreLocation, ObjectStore> stores;
    private final int workers;
    private final int maxTaskSamples;

    /**
     * @param stores         opens a location; may throw {@link IllegalStateException} when S3 is not configured, or
     *                       {@link LocalLocationRefusedException} for a local folder outside the service's roots
     * @param workers        the calibration workers a job spreads over
     * @param maxTaskSamples the most samples of one file in one task: larger jobs get more tasks, so that a worker
     *                       that dies loses a bounded share and extra workers can take part
     */
    public CalibrationFanOut(Function<StoreLocation, ObjectStore> stores, int workers, int maxTaskSamples) {
        if (workers < 1) {
            throw new IllegalArgumentException("calibration needs at least one worker, not " + workers);
        }
        if (maxTaskSamples < 1) {
            throw new IllegalArgumentException("a calibration task needs at least one sample, not "
                    + maxTaskSamples);
        }
        this.stores = stores;
        this.workers = workers;
        this.maxTaskSamples = maxTaskSamples;
    }

    /**
     * The tasks of job {@code jobId}: task i holds the i-th share of every data file, in modality order; task ids are
     * {@code jobId:task:i}.
     *
     * @throws JobRejectedException when a data file cannot be read or holds no sample
     */
    public List<CalibrationTask> tasks(String jobId, String modelPath, CalibrationSettings settings)
            throws JobRejectedException {
        return tasks(jobId, modelPath, settings, Map.of());
    }

    /**
     * The tasks of job {@code jobId}, where {@code limits} caps the samples of a data set below the request's
     * samples per modality: the audio samples before those held out for evaluation.
     */
    public List<CalibrationTask> tasks(String jobId, String modelPath, CalibrationSettings settings,
                                       Map<Modality, Integer> limits) throws JobRejectedException {
        Map<Modality, Integer> samples = new EnumMap<>(Modality.class);
        for (Map.Entry<Modality, String> dataFile : new EnumMap<>(settings.dataFiles()).entrySet()) {
            samples.put(dataFile.getKey(), countSamples(dataFile.getKey(), dataFile.getValue(),
                    limits.getOrDefault(dataFile.getKey(), settings.samplesPerModality())));
        }
        int largest = samples.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
        int count = Math.max(Math.min(workers, largest), ceilDiv(largest, maxTaskSamples));
        List<List<CalibrationTask.Slice>> shares = new ArrayList<>();
        for (int task = 0; task < count; task++) {
            shares.add(new ArrayList<>());
        }
        samples.forEach((modality, fileSamples) -> {
            List<SampleRange> ranges = TaskRanges.split(fileSamples, count);
            for (int task = 0; task < ranges.size(); task++) {
                SampleRange range = ranges.get(task);
                shares.get(task).add(new CalibrationTask.Slice(modality, settings.dataFiles().get(modality),
                        range.first(), range.count()));
            }
        });
        Instant now = Instant.now();
        List<CalibrationTask> tasks = new ArrayList<>();
        for (int task = 0; task < count; task++) {
            tasks.add(new CalibrationTask(jobId, JobEvent.SCHEMA_VERSION, now, jobId + ":task:" + task, count,
                    modelPath, shares.get(task)));
        }
        return List.copyOf(tasks);
    }

    private static int ceilDiv(int dividend, int divisor) {
        return (dividend + divisor - 1) / divisor;
    }

    /** The samples of {@code dataFile}, counting no further than {@code limit}; a file without any is refused. */
    int countSamples(Modality modality, String dataFile, int limit) throws JobRejectedException {
        CalibrationFile file;
        try {
            file = CalibrationFile.parse(dataFile);
        } catch (IllegalArgumentException e) {
            throw new JobRejectedException("the " + modality.id() + " calibration data is not usable: "
                    + e.getMessage(), e);
        }
        int samples;
        try (ObjectStore folder = stores.apply(file.folder())) {
            samples = SampleLines.count(folder, file.name(), limit);
        } catch (LocalLocationRefusedException e) {
            throw new JobRejectedException("the " + modality.id() + " calibration data cannot be read: "
                    + e.getMessage(), e);
        } catch (IllegalStateException e) {
            throw new JobRejectedException("the strip service cannot open the " + modality.id()
                    + " calibration data at " + file + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new JobRejectedException("the " + modality.id() + " calibration data " + file
                    + " could not be read (" + e.getMessage() + "): check the path and that the store is reachable",
                    e);
        }
        if (samples == 0) {
            throw new JobRejectedException("the " + modality.id() + " calibration data " + file
                    + " holds no sample: give a JSONL file with one sample a line");
        }
        return samples;
    }
}
