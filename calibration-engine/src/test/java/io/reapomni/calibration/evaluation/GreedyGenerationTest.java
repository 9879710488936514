package io.reapomni.calibration.evaluation;

import io.reapomni.calibration.TestDevice;
import io.reapomni.calibration.TinyFixture;
import io.reapomni.common.evaluation.QualityReport;
import io.reapomni.common.evaluation.SampleQuality;
import io.reapomni.common.rewrite.TestModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Greedy generation beyond the parity case: layers streamed again for every token (no weights resident) continue the
 * same way as resident ones, and generation stops right after an end-of-sequence id of the model's generation config.
 */
class GreedyGenerationTest {
    /** transformers' continuation of the fixture's text input (evaluation-reference.json, generated_original). */
    private static final List<Integer> TEXT_CONTINUATION = List.of(731, 643, 490, 997, 906, 437, 997, 906);

    @TempDir
    static Path folder;

    private static Path data;

    @BeforeAll
    static void writeData() throws Exception {
        data = ReferenceInputs.write(folder.resolve("data"));
    }

    @Test
    void streamedLayersContinueAsResidentOnes() throws Exception {
        Path model = TinyFixture.modelDir();
        QualityReport streamed = evaluate(model, model, new EvaluationOptions(5, TestDevice.float32(), 0));
        assertThat(streamed.samples().get(0).generatedOriginal().tokenIds())
                .containsExactlyElementsOf(TEXT_CONTINUATION.subList(0, 5));
        QualityReport resident = evaluate(model, model, new EvaluationOptions(5, TestDevice.float32()));
        assertThat(streamed.samples()).isEqualTo(resident.samples());
    }

    @Test
    void generationStopsAfterAnEndOfSequenceId() throws Exception {
        Path model = TestModels.copy(TinyFixture.modelDir(), folder.resolve("with-eos"));
        Files.writeString(model.resolve("generation_config.json"), "{\"eos_token_id\": [1014, 997]}");
        QualityReport report = evaluate(model, model, new EvaluationOptions(8, TestDevice.float32()));
        SampleQuality text = report.samples().get(0);
        assertThat(text.generatedOriginal().tokenIds()).containsExactly(731, 643, 490, 997);
        assertThat(text.generatedOriginal().stoppedAtEos()).isTrue();
        SampleQuality audio = report.samples().get(1);
        assertThat(audio.generatedOriginal().tokenIds()).hasSize(8);
        assertThat(audio.generatedOriginal().stoppedAtEos()).isFalse();
    }

    private static QualityReport evaluate(Path original, Path pruned, EvaluationOptions options) throws Exception {
        return ReferenceInputs.evaluate(original, pruned, data, 2, options);
    }
}
