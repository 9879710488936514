package io.reapomni.cli.evaluate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reapomni.calibration.TinyFixture;
import io.reapomni.cli.CliRun;
import io.reapomni.cli.ExitCodes;
import io.reapomni.common.evaluation.QualityReport;
import io.reapomni.common.evaluation.SampleQuality;
import io.reapomni.common.synthetic.SyntheticCheckpoint;
import io.reapomni.common.synthetic.SyntheticModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
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
        CliRun prune = CliRun.of("prune", "-m", TinyFixture.modelDir(), "-o", pruned, "--in-process",
                "--strip-vision", "--keep-experts", "0,2,5,7", "--prune-layers", "1", "4");
        assertThat(prune.exitCode()).as(prune.toString()).isZero();
        Path data = referenceData(folder.resolve("data"));
        Path output = folder.resolve("results/eval.json");

        CliRun run = CliRun.of("evaluate", "-m", TinyFixture.modelDir(), "--pruned", pruned,
                "--data", data.resolve("reference.jsonl"), "--samples", "2", "--output", output);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("| text | 24 |", "| audio | 31 |", "**average** (token-weighted, 2 samples)",
                "Greedy continuations (up to 8 new tokens", "quality on 2 samples: KL ",
                "Results written to " + output);
        QualityReport report = QualityReport.fromJson(Files.readAllBytes(output));
        JsonNode reference = new ObjectMapper().readTree(TinyFixture.root().resolve("evaluation-reference.json")
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
    }

    @Test
    void aModelNotDerivedFromTheOriginalIsRefused() throws Exception {
        Path other = folder.resolve("other");
        SyntheticCheckpoint.write(other, SyntheticModelSpec.small());
        Path data = referenceData(folder.resolve("data"));

        CliRun run = CliRun.of("evaluate", "-m", TinyFixture.modelDir(), "--pruned", other,
                "--data", data.resolve("reference.jsonl"));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).contains("reap-omni evaluate: the pruned model is not derived from the original:",
                "vocabulary size (vocab_size) is 512, the original's 1024", "more decoder layers (8)");
    }

    private static Path referenceData(Path data) throws Exception {
        TinyFixture fixture = TinyFixture.load();
        Files.createDirectories(data);
        Files.copy(TinyFixture.audioWav(), data.resolve("speech.wav"), StandardCopyOption.REPLACE_EXISTING);
        Files.write(data.resolve("reference.jsonl"), List.of(
                "{\"id\": \"text\", \"input_ids\": " + Arrays.toString(fixture.tokenIds("text")) + "}",
                "{\"id\": \"audio\", \"audio\": \"speech.wav\", \"input_ids\": "
                        + Arrays.toString(fixture.tokenIds("audio")) + "}"));
        return data;
    }
}
