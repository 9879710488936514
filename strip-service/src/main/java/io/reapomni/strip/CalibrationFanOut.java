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
 * per modality, by the rule of {@link SampleLines}) and cuts them, all files in modality order, into consecutive
 * shares of near-equal size, one per task. A worker runs a task as one unit, reading each layer's weights once for all
 * its samples, so a job has as many tasks as there are workers to share it, and more only when that would give a task
 * more than {@code maxTaskSamples} samples (a worker prepares a task's samples together); every worker then reads the
 * model once per job.
 */
public final class CalibrationFanOut {

    private final Function<StoreLocation, ObjectStore> stores;
    private final int workers;
    private final int maxTaskSamples;

    /**
     * @param stores         opens a location; may throw {@link IllegalStateException} when S3 is not configured, or
     *                       {@link LocalLocationRefusedException} for a local folder outside the service's roots
     * @param workers        the calibration workers a job spreads over
     * @param maxTaskSamples the most samples in one task: larger jobs get more tasks, which bounds what a worker
     *                       holds and what a worker that dies loses
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
     * The tasks of job {@code jobId}: the samples of every data file, in modality order, cut into consecutive shares
     * of near-equal size, one per task; task ids are {@code jobId:task:i}.
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
        int total = samples.values().stream().mapToInt(Integer::intValue).sum();
        int count = Math.max(Math.min(workers, total), ceilDiv(total, maxTaskSamples));
        Instant now = Instant.now();
        List<CalibrationTask> tasks = new ArrayList<>();
        List<SampleRange> shares = TaskRanges.split(total, count);
        for (int task = 0; task < shares.size(); task++) {
            SampleRange share = shares.get(task);
            List<CalibrationTask.Slice> slices = new ArrayList<>();
            int fileStart = 0;
            for (Map.Entry<Modality, Integer> file : samples.entrySet()) {
                int first = Math.max(share.first(), fileStart);
                int end = Math.min(share.end(), fileStart + file.getValue());
                if (first < end) {
                    slices.add(new CalibrationTask.Slice(file.getKey(), settings.dataFiles().get(file.getKey()),
                            first - fileStart, end - first));
                }
                fileStart += file.getValue();
            }
            tasks.add(new CalibrationTask(jobId, JobEvent.SCHEMA_VERSION, now, jobId + ":task:" + task,
                    shares.size(), modelPath, slices));
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
