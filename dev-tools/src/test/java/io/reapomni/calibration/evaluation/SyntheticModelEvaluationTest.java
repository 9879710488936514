package io.reapomni.calibration.evaluation;

import io.reapomni.calibration.Calibration;
import io.reapomni.calibration.CalibrationListener;
import io.reapomni.calibration.CalibrationSlice;
import io.reapomni.calibration.TestDevice;
import io.reapomni.common.calibration.ModalityStats;
import io.reapomni.common.evaluation.QualityReport;
import io.reapomni.common.evaluation.SampleQuality;
import io.reapomni.common.job.Modality;
import io.reapomni.common.job.SampleRange;
import io.reapomni.common.rewrite.TestModels;
import io.reapomni.common.storage.LocalObjectStore;
import io.reapomni.common.testing.TestJobs;
import io.reapomni.devtools.calibrationdata.CalibrationDataGenerator;
import io.reapomni.devtools.calibrationdata.GeneratedData;
import io.reapomni.devtools.synthetic.SyntheticCheckpoint;
import io.reapomni.devtools.synthetic.SyntheticModelSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generated checkpoint the demo prunes is one the engine runs: its audio tower encodes generated clips, its
 * tokenizer turns text prompts into ids, calibration measures it, and a pruned version of it evaluates to a KL
 * above zero with continuations from both models.
 */
class SyntheticModelEvaluationTest {
    private static final int SAMPLES = 3;

    @TempDir
    static Path folder;

    private static Path model;
    private static Path audio;

    @BeforeAll
    static void writeModelAndData() throws Exception {
        model = folder.resolve("model");
        SyntheticCheckpoint.write(model, SyntheticModelSpec.small());
        GeneratedData data = CalibrationDataGenerator.withInstalledTools().generate(folder.resolve("calib"), SAMPLES,
                11);
        audio = data.files().get(Modality.AUDIO);
    }

    @Test
    void calibrationMeasuresEveryGeneratedClip() throws Exception {
        ModalityStats stats;
        try (LocalObjectStore store = new LocalObjectStore(model);
             LocalObjectStore data = new LocalObjectStore(audio.getParent());
             Calibration calibration = Calibration.open(store)) {
            stats = calibration.run(List.of(slice(data)), TestDevice.float32(), CalibrationListener.NONE)
                    .statistics().modalities().get(Modality.AUDIO.id());
        }
        assertThat(stats.skipped()).isEmpty();
        assertThat(stats.samples()).isEqualTo(SAMPLES);
        assertThat(stats.experts()).hasSize(SyntheticModelSpec.small().layers());
    }

    @Test
    void aPrunedVersionDiffersFromItAndBothContinueEverySample() throws Exception {
        Path pruned = folder.resolve("pruned");
        TestModels.prune(model, TestJobs.stripVision(List.of(0, 1, 2, 3, 4, 5, 6, 7), List.of(3, 4)), pruned,
                "synthetic");
        QualityReport report;
        try (LocalObjectStore original = new LocalObjectStore(model);
             LocalObjectStore prunedStore = new LocalObjectStore(pruned);
             LocalObjectStore data = new LocalObjectStore(audio.getParent());
             Evaluation evaluation = Evaluation.open(original, prunedStore)) {
            report = evaluation.run(slice(data), new EvaluationOptions(4, TestDevice.float32()),
                    EvaluationListener.NONE);
        }
        assertThat(report.skipped()).isEmpty();
        assertThat(report.samples()).hasSize(SAMPLES).allSatisfy(sample -> {
            assertThat(sample.klMean()).isPositive();
            assertThat(sample.textPositions()).isPositive();
            assertThat(sample.generatedOriginal().tokenIds()).isNotEmpty();
            assertThat(sample.generatedPruned().tokenIds()).isNotEmpty();
        });
        assertThat(report.samples()).extracting(SampleQuality::tokens).allSatisfy(tokens ->
                assertThat(tokens).isGreaterThan(20));
    }

    private static CalibrationSlice slice(LocalObjectStore data) {
        return new CalibrationSlice(Modality.AUDIO, data, audio.getFileName().toString(), new SampleRange(0, SAMPLES));
    }
}
