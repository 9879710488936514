package io.reapomni.cli.evaluate;

import io.reapomni.calibration.CalibrationSlice;
import io.reapomni.calibration.evaluation.Evaluation;
import io.reapomni.calibration.evaluation.EvaluationListener;
import io.reapomni.calibration.evaluation.EvaluationOptions;
import io.reapomni.calibration.model.ComputeOptions;
import io.reapomni.common.evaluation.QualityAverage;
import io.reapomni.common.evaluation.QualityReport;
import io.reapomni.common.job.CalibrationFile;
import io.reapomni.common.job.CalibrationSettings;
import io.reapomni.common.job.HeldOutSamples;
import io.reapomni.common.job.Modality;
import io.reapomni.common.job.SampleLines;
import io.reapomni.common.rewrite.QualityRecord;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.ObjectStores;
import io.reapomni.common.storage.S3Settings;

import java.io.PrintWriter;
import java.util.Optional;

/**
 * What a job's services do after the rewrite, done in this process for a rewrite that ran here ({@code prune
 * --in-process}, or a model in S3): the written model evaluated against its source on the audio samples the rule of
 * {@link HeldOutSamples#split} holds out, and the result added to its report, on the CPU in float32.
 */
public final class HeldOutEvaluation {
    private HeldOutEvaluation() {
    }

    /**
     * @param source the model that was pruned
     * @param output its published output, written by job {@code jobId}
     * @return the average quality, or empty when the audio data holds too few samples to hold any out
     */
    public static Optional<QualityAverage> run(ObjectStore source, ObjectStore output, String jobId,
                                               CalibrationSettings settings, PrintWriter out) throws Exception {
        CalibrationFile file = CalibrationFile.parse(settings.dataFiles().get(Modality.AUDIO));
        try (ObjectStore data = ObjectStores.open(file.folder(), S3Settings::fromEnvironment)) {
            HeldOutSamples.Split split = HeldOutSamples.split(SampleLines.count(data, file.name(), Integer.MAX_VALUE),
                    settings.samplesPerModality(), settings.evaluation());
            if (split.heldOut().isEmpty()) {
                out.println("No audio sample held out for evaluation: " + file + " has too few");
                return Optional.empty();
            }
            out.printf("%nEvaluating the written model against the original on audio %s of %s%n",
                    split.heldOut().get(), file);
            out.flush();
            QualityReport quality;
            try (Evaluation evaluation = Evaluation.open(source, output)) {
                quality = evaluation.run(new CalibrationSlice(Modality.AUDIO, data, file.name(),
                                split.heldOut().get()),
                        new EvaluationOptions(settings.evaluation().generateTokens(), ComputeOptions.cpuFloat32()),
                        EvaluationListener.NONE);
            }
            QualityRecord.add(output, jobId, quality);
            return quality.average();
        }
    }
}
