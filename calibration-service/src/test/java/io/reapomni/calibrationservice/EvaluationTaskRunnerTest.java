package io.reapomni.calibrationservice;

import io.reapomni.common.calibration.ConversionLoss;
import io.reapomni.common.evaluation.Continuation;
import io.reapomni.common.evaluation.ConversionLossByModel;
import io.reapomni.common.evaluation.QualityReport;
import io.reapomni.common.evaluation.SampleQuality;
import io.reapomni.common.job.HeldOutSamples;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;

/** What an evaluation task tells whoever follows the job once it is done. */
class EvaluationTaskRunnerTest {
    private static final HeldOutSamples SAMPLES = new HeldOutSamples("s3://data/calib/audio.jsonl", 6, 1, 2);

    @Test
    void theLastProgressNamesWhatFloat16CouldNotKeepOfEachModelThatLostSomething() {
        String pruned = EvaluationTaskRunner.describe(SAMPLES,
                quality(new ConversionLossByModel(ConversionLoss.NONE, new ConversionLoss(3, 1))));
        String both = EvaluationTaskRunner.describe(SAMPLES,
                quality(new ConversionLossByModel(new ConversionLoss(0, 2), new ConversionLoss(5, 0))));

        assertThat(pruned).isEqualTo("quality on 1 held-out audio samples: KL 0.0300 nats/token, top-1 agreement"
                + " 75.0%, cross-entropy 2.50 -> 2.75 (samples 6..6 of s3://data/calib/audio.jsonl, 0 skipped);"
                + " pruned model, float16: 3 weights beyond float16's range clamped to ±65504, 1 weights below"
                + " float16's smallest value flushed to zero");
        assertThat(both).contains("skipped); original model, float16: 0 weights beyond float16's range clamped to"
                + " ±65504, 2 weights below", "; pruned model, float16: 5 weights beyond float16's range");
    }

    @Test
    void nothingIsSaidOfFloat16WhenNoWeightLostAnything() {
        assertThat(EvaluationTaskRunner.describe(SAMPLES, quality(ConversionLossByModel.NONE)))
                .endsWith("(samples 6..6 of s3://data/calib/audio.jsonl, 0 skipped)").doesNotContain("float16");
    }

    private static QualityReport quality(ConversionLossByModel conversionLoss) {
        return QualityReport.of("s3://models/model", "s3://models/out", SAMPLES.dataFile(), 6, 1, 2,
                List.of(new SampleQuality("clip-6", 12, 11, 4, 0.03, 0.05, 0.75, OptionalDouble.of(2.5),
                        OptionalDouble.of(2.75), new Continuation(List.of(3, 4), "ab", false),
                        new Continuation(List.of(3, 5), "ac", false))), List.of(), conversionLoss);
    }
}
