package io.reapomni.calibrationservice;

import io.reapomni.calibration.CalibrationSlice;
import io.reapomni.calibration.data.CalibrationDataException;
import io.reapomni.calibration.data.MediaLimits;
import io.reapomni.calibration.evaluation.Evaluation;
import io.reapomni.calibration.evaluation.EvaluationListener;
import io.reapomni.calibration.evaluation.EvaluationOptions;
import io.reapomni.calibration.evaluation.ModelMismatchException;
import io.reapomni.calibration.model.ComputeOptions;
import io.reapomni.common.evaluation.QualityReport;
import io.reapomni.common.events.EvaluationReported;
import io.reapomni.common.events.EvaluationTask;
import io.reapomni.common.events.JobPhase;
import io.reapomni.common.events.JobProgress;
import io.reapomni.common.job.CalibrationFile;
import io.reapomni.common.job.HeldOutSamples;
import io.reapomni.common.job.Modality;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.StoreLocation;
import io.reapomni.service.JobRejectedException;
import io.reapomni.service.JobStores;

import java.io.IOException;

/**
 * Runs one evaluation task: the model a job wrote against its original, on the job's held-out audio samples, into the
 * result for the shard writer. Unusable samples are part of the result; a model or data file that cannot be read, or
 * a written model that does not match its original, rejects the task, and with it the job, whose reason says that
 * the model itself was written.
 */
final class EvaluationTaskRunner {

    private final JobStores stores;
    private final ComputeOptions compute;
    private final long residentBytes;
    private final MediaLimits limits;

    /**
     * @param stores opens the models and the data that tasks name
     * @param limits what the media of one held-out sample may cost, as in calibration
     */
    EvaluationTaskRunner(JobStores stores, ComputeOptions compute, long residentBytes,
                         MediaLimits limits) {
        this.stores = stores;
        this.compute = compute;
        this.residentBytes = residentBytes;
        this.limits = limits;
    }

    /** What evaluating produced: the result for the shard writer, and progress for whoever follows the job. */
    record Result(EvaluationReported reported, JobProgress progress) {
    }

    /**
     * @throws JobRejectedException when a model or the data cannot be opened or read, or the models do not match
     * @throws IOException          when the stores fail during the run
     */
    Result run(EvaluationTask task, EvaluationListener listener) throws JobRejectedException, IOException {
        HeldOutSamples samples = task.samples();
        EvaluationOptions options = new EvaluationOptions(samples.generateTokens(), compute, residentBytes);
        CalibrationFile file = dataFile(task);
        QualityReport quality;
        try (ObjectStore original = open(task.modelPath(), "the original model", task);
             ObjectStore written = open(task.outputPath(), "the written model", task);
             ObjectStore data = open(file.folder(), "the audio data " + file, task);
             Evaluation evaluation = Evaluation.open(original, written, limits)) {
            quality = evaluation.run(new CalibrationSlice(Modality.AUDIO, data, file.name(), samples.range()),
                    options, listener);
        } catch (CalibrationDataException | ModelMismatchException e) {
            throw rejected(task, e.getMessage(), e);
        } catch (IOException e) {
            throw new IOException(written(task) + "; evaluating it failed: " + e.getMessage(), e);
        }
        return new Result(EvaluationReported.of(task.jobId(), task.outputPath(), quality),
                JobProgress.of(task.jobId(), JobPhase.EVALUATION, 1, 1, "steps", describe(samples, quality)));
    }

    /** The quality on average, which samples, and what float16 could not keep of either model's weights, if any. */
    static String describe(HeldOutSamples samples, QualityReport quality) {
        StringBuilder detail = new StringBuilder(quality.average()
                .map(average -> average.describe("held-out audio samples"))
                .orElse("no held-out audio sample could be evaluated"));
        detail.append(" (").append(samples.range()).append(" of ").append(samples.dataFile()).append(", ")
                .append(quality.skipped().size()).append(" skipped)");
        quality.conversionLossLines().forEach(line -> detail.append("; ").append(line));
        return detail.toString();
    }

    private ObjectStore open(StoreLocation location, String what, EvaluationTask task) throws JobRejectedException {
        try {
            return stores.openForReading(location, what);
        } catch (JobRejectedException e) {
            throw rejected(task, e.getMessage(), e);
        }
    }

    private static CalibrationFile dataFile(EvaluationTask task) throws JobRejectedException {
        try {
            return CalibrationFile.parse(task.samples().dataFile());
        } catch (IllegalArgumentException e) {
            throw rejected(task, "the audio data is not usable: " + e.getMessage(), e);
        }
    }

    private static JobRejectedException rejected(EvaluationTask task, String reason, Exception cause) {
        return new JobRejectedException(written(task) + ", but it cannot be evaluated: " + reason, cause);
    }

    private static String written(EvaluationTask task) {
        return "the pruned model was written to " + task.outputPath();
    }
}
