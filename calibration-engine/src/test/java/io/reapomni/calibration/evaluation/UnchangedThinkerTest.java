package io.reapomni.calibration.evaluation;

import io.reapomni.calibration.TestDevice;
import io.reapomni.calibration.TinyFixture;
import io.reapomni.common.evaluation.QualityReport;
import io.reapomni.common.evaluation.SampleQuality;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A model whose thinker is the original's predicts exactly what the original predicts: against itself, and as the
 * output of a strip-only prune (other shards, same thinker tensors), KL is 0 and top-1 agreement 1 exactly, the
 * cross-entropies equal and the continuations the same. Lines that cannot be used are skipped and reported.
 */
class UnchangedThinkerTest {
    @TempDir
    static Path folder;

    private static Path data;

    @BeforeAll
    static void writeData() throws Exception {
        data = ReferenceInputs.write(folder.resolve("data"));
        Files.writeString(data.resolve(ReferenceInputs.FILE), Files.readString(data.resolve(ReferenceInputs.FILE))
                + "{\"id\": \"lost\", \"modality\": \"audio\", \"audio\": \"nowhere.wav\", \"text\": \"hello\"}\n"
                + "this line is not JSON\n"
                + "{\"id\": \"greeting\", \"modality\": \"audio\", \"text\": \"Say hello to the model.\"}\n");
    }

    @Test
    void aModelAgainstItselfLosesNothing() throws Exception {
        QualityReport report = evaluate(TinyFixture.modelDir());
        assertUnchanged(report);
    }

    @Test
    void aStripOnlyOutputLosesNothing() throws Exception {
        QualityReport report = evaluate(PrunedFixture.stripOnly(folder.resolve("strip-only")));
        assertUnchanged(report);
    }

    @Test
    void unusableLinesAreSkippedWithTheirReasons() throws Exception {
        QualityReport report = evaluate(TinyFixture.modelDir());
        assertThat(report.samples()).extracting(SampleQuality::id).containsExactly("text", "audio", "greeting");
        assertThat(report.skipped()).hasSize(2);
        assertThat(report.skipped().get(0).id()).isEqualTo("lost");
        assertThat(report.skipped().get(0).reason()).contains("reference.jsonl line 3", "missing media nowhere.wav");
        assertThat(report.skipped().get(1).id()).isEqualTo("reference.jsonl:4");
        assertThat(report.skipped().get(1).reason()).contains("line 4");
        assertThat(report.firstSample()).isZero();
        assertThat(report.sampleCount()).isEqualTo(5);
    }

    private static void assertUnchanged(QualityReport report) {
        assertThat(report.samples()).hasSize(3);
        for (SampleQuality sample : report.samples()) {
            assertThat(sample.klMean()).as(sample.id()).isEqualTo(0.0);
            assertThat(sample.klMax()).as(sample.id()).isEqualTo(0.0);
            assertThat(sample.top1Agreement()).as(sample.id()).isEqualTo(1.0);
            assertThat(sample.cePruned()).as(sample.id()).isEqualTo(sample.ceOriginal());
            assertThat(sample.generatedPruned()).as(sample.id()).isEqualTo(sample.generatedOriginal());
            assertThat(sample.generatedOriginal().tokenIds()).hasSize(4);
        }
        assertThat(report.average().orElseThrow().klMean()).isEqualTo(0.0);
        assertThat(report.average().orElseThrow().top1Agreement()).isEqualTo(1.0);
    }

    private static QualityReport evaluate(Path pruned) throws Exception {
        return ReferenceInputs.evaluate(TinyFixture.modelDir(), pruned, data, 5,
                new EvaluationOptions(4, TestDevice.float32()));
    }
}
