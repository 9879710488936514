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
 * per modality, by the rule of {@link SampleLines}) and cuts them into ranges of a fixed number of samples, one task
 * each, so that the work spreads over however many calibration workers there are.
 */
public final class CalibrationFanOut {

    private final Function<StoreLocation, ObjectStore> stores;
    private final int taskSamples;

    /**
     * @param stores      opens a location; may throw {@link IllegalStateException} when S3 is not configured, or
     *                    {@link LocalLocationRefusedException} for a local folder outside the service's roots
     * @param taskSamples samples per task: more tasks spread wider, fewer tasks load each layer's weights less often
     */
    public CalibrationFanOut(Function<StoreLocation, ObjectStore> stores, int taskSamples) {
        if (taskSamples < 1) {
            throw new IllegalArgumentException("a calibration task needs at least one sample, not " + taskSamples);
        }
        this.stores = stores;
        this.taskSamples = taskSamples;
    }

    /**
     * The tasks of job {@code jobId}, data sets in modality order, each data set's ranges in file order; task ids are
     * {@code jobId:modality:index}.
     *
     * @throws JobRejectedException when a data file cannot be read or holds no sample
     */
    public List<CalibrationTask> tasks(String jobId, String modelPath, CalibrationSettings settings)
            throws JobRejectedException {
        Map<Modality, List<SampleRange>> rangesByModality = new EnumMap<>(Modality.class);
        for (Map.Entry<Modality, String> dataFile : new EnumMap<>(settings.dataFiles()).entrySet()) {
            int samples = countSamples(dataFile.getKey(), dataFile.getValue(), settings.samplesPerModality());
            rangesByModality.put(dataFile.getKey(), TaskRanges.split(samples, taskSamples));
        }
        int total = rangesByModality.values().stream().mapToInt(List::size).sum();
        Instant now = Instant.now();
        List<CalibrationTask> tasks = new ArrayList<>();
        rangesByModality.forEach((modality, ranges) -> {
            for (int index = 0; index < ranges.size(); index++) {
                SampleRange range = ranges.get(index);
                tasks.add(new CalibrationTask(jobId, JobEvent.SCHEMA_VERSION, now,
                        jobId + ":" + modality.id() + ":" + index, total, modelPath, modality,
                        settings.dataFiles().get(modality), range.first(), range.count()));
            }
        });
        return List.copyOf(tasks);
    }

    private int countSamples(Modality modality, String dataFile, int limit) throws JobRejectedException {
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
