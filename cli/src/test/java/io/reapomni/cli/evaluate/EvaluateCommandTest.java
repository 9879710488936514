package io.reapomni.cli.evaluate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reapomni.calibration.evaluation.ReferenceInputs;
import io.reapomni.calibration.weights.PlantedValues;
import io.reapomni.cli.CliRun;
import io.reapomni.cli.ExitCodes;
import io.reapomni.common.calibration.ConversionLoss;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.checkpoint.Qwen3OmniLayout;
import io.reapomni.common.checkpoint.Qwen3OmniLayout.AudioLayerModule;
import io.reapomni.common.checkpoint.Qwen3OmniLayout.DecoderModule;
import io.reapomni.common.evaluation.ConversionLossByModel;
import io.reapomni.common.evaluation.QualityReport;
import io.reapomni.common.evaluation.SampleQuality;
import io.reapomni.common.rewrite.ReportFiles;
import io.reapomni.common.rewrite.RewriteReport;
import io.reapomni.devtools.synthetic.SyntheticCheckpoint;
import io.reapomni.devtools.synthetic.SyntheticModelSpec;
import io.reapomni.testfixtures.TinyQwen3Omni;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code reap-omni evaluate} from the command line: the README's pruned fixture, and a model it must refuse. */
class EvaluateCommandTest {
    @TempDir
    Path folder;

    @Test
    void printsAndWritesTheQualityOfThePrunedFixture() throws Exception {
        Path pruned = folder.resolve("pruned");
        CliRun prune = CliRun.of("prune", "-m", TinyQwen3Omni.model(), "-o", pruned, "--in-process",
                "--strip-vision", "--keep-experts", "0,2,5,7", "--prune-layers", "1", "4");
        assertThat(prune.exitCode()).as(prune.toString()).isZero();
        Path data = ReferenceInputs.write(folder.resolve("data"));
        Path output = folder.resolve("results/eval.json");

        CliRun run = CliRun.of("evaluate", "-m", TinyQwen3Omni.model(), "--pruned", pruned,
                "--data", data.resolve(ReferenceInputs.FILE), "--samples", "2", "--output", output);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("| text | 24 |", "| audio | 31 |", "**average** (token-weighted, 2 samples)",
                "Greedy continuations (up to 8 new tokens", "quality on 2 samples: KL ",
                "Results written to " + output);
        QualityReport report = QualityReport.fromJson(Files.readAllBytes(output));
        JsonNode reference = new ObjectMapper().readTree(TinyQwen3Omni.folder().resolve("evaluation-reference.json")
                .toFile()).path("samples");
        assertThat(report.samples()).extracting(SampleQuality::id).containsExactly("text", "audio");
        for (SampleQuality sample : report.samples()) {
            JsonNode expected = reference.path(sample.id());
            assertThat(sample.klMean()).isCloseTo(expected.path("kl_mean").asDouble(),
                    within(1e-4 * expected.path("kl_mean").asDouble()));
            assertThat(sample.generatedPruned().tokenIds()).hasSize(8);
            assertThat(sample.generatedPruned().tokenIds().get(0))
                    .isEqualTo(expected.path("generated_pruned").get(0).asInt());
        }
        JsonNode json = new ObjectMapper().readTree(output.toFile());
        assertThat(json.path("samples").get(0).has("kl_mean")).isTrue();
        assertThat(json.path("samples").get(0).path("generated_original").has("token_ids")).isTrue();
        assertThat(report.conversionLoss()).as("float32 holds every bf16 weight").contains(ConversionLossByModel.NONE);
        assertThat(run.out()).doesNotContain("float16");
    }

    /**
     * Values planted in the original's audio tower beyond float16's range, and below it in a decoder layer (where
     * huge ones would flood attention with infinities); the audio sample loads the tower.
     */
    @Test
    void inFloat16ItSaysWhatFloat16CouldNotKeepOfEachModelsWeights() throws Exception {
        Path original = PlantedValues.copy(TinyQwen3Omni.model(), folder.resolve("planted"), List.of(
                new PlantedValues(Qwen3OmniLayout.audioLayer(0, AudioLayerModule.FC2).weight(),
                        new float[] {PlantedValues.HUGE, PlantedValues.HUGER}, new float[0]),
                new PlantedValues(Qwen3OmniLayout.decoder(MoeStack.THINKER, 1, DecoderModule.Q_PROJ).weight(),
                        new float[0], new float[] {PlantedValues.TINY})));
        Path data = ReferenceInputs.write(folder.resolve("data"));
        Path output = folder.resolve("eval.json");

        CliRun run = CliRun.of("evaluate", "-m", original, "--pruned", TinyQwen3Omni.model(), "--data",
                data.resolve(ReferenceInputs.FILE), "--samples", "2", "--generate-tokens", "2", "--dtype", "float16",
                "--output", output);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("\n- original model, float16: 2 weights beyond float16's range clamped to"
                + " ±65504, 1 weights below float16's smallest value flushed to zero\n")
                .doesNotContain("pruned model, float16");
        assertThat(QualityReport.fromJson(Files.readAllBytes(output)).conversionLoss())
                .contains(new ConversionLossByModel(new ConversionLoss(2, 1), ConversionLoss.NONE));
    }

    @Test
    void anInProcessStripWithAudioDataEvaluatesItsOutputToKlZero() throws Exception {
        Path data = ReferenceInputs.write(folder.resolve("data"));
        Path stripped = folder.resolve("stripped");

        CliRun run = CliRun.of("prune", "-m", TinyQwen3Omni.model(), "-o", stripped, "--in-process",
                "--strip-vision", "--audio-data", data.resolve(ReferenceInputs.FILE), "--generate-tokens", "2");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("Evaluating the written model against the original on audio samples 1..1 of",
                "quality on 1 held-out audio samples: KL 0.00 nats/token, top-1 agreement 100.0%");
        RewriteReport report = ReportFiles.readReport(Files.readAllBytes(stripped.resolve(RewriteReport.JSON_FILE)));
        SampleQuality audio = report.quality().orElseThrow().samples().get(0);
        assertThat(audio.id()).isEqualTo("audio");
        assertThat(audio.klMean()).isZero();
        assertThat(audio.generatedPruned()).isEqualTo(audio.generatedOriginal());
        assertThat(Files.readString(stripped.resolve(RewriteReport.MARKDOWN_FILE))).contains("by construction");
    }

    @Test
    void aModelNotDerivedFromTheOriginalIsRefused() throws Exception {
        Path other = folder.resolve("other");
        SyntheticCheckpoint.write(other, SyntheticModelSpec.small());
        Path data = ReferenceInputs.write(folder.resolve("data"));

        CliRun run = CliRun.of("evaluate", "-m", TinyQwen3Omni.model(), "--pruned", other,
                "--data", data.resolve(ReferenceInputs.FILE));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).contains("reap-omni evaluate: the pruned model is not derived from the original:",
                "vocabulary size (vocab_size) is 512, the original's 1024", "more decoder layers (8)");
    }
}
