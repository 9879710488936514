package io.reapomni.cli.calibrate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reapomni.calibration.Calibration;
import io.reapomni.calibration.CalibrationListener;
import io.reapomni.calibration.CalibrationRun;
import io.reapomni.calibration.TestVideos;
import io.reapomni.calibration.TinyFixture;
import io.reapomni.calibration.model.ComputeOptions;
import io.reapomni.cli.ReapOmni;
import io.reapomni.common.calibration.CalibrationStats;
import io.reapomni.common.job.Modality;
import io.reapomni.testfixtures.TinyQwen3Omni;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

class CalibrateCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    @Test
    void writesTheStatisticsOfTheEngineAndSaysWhatWasUsed() throws Exception {
        assumeThat(TestVideos.ffmpegInstalled()).as("ffmpeg is installed").isTrue();
        Map<Modality, Path> files = TinyFixture.load().writeDataSets(dir);
        Path output = dir.resolve("out/stats.json");

        int exitCode = execute("calibrate", "-m", TinyQwen3Omni.model().toString(),
                "--audio-data", files.get(Modality.AUDIO).toString(),
                "--video-data", files.get(Modality.VIDEO).toString(),
                "--mixed-data", files.get(Modality.MIXED).toString(),
                "--calibration-samples", "10", "--output", output.toString(), "--device", "cpu", "--dtype", "float32");

        assertThat(exitCode).as(err.toString()).isZero();
        JsonNode modalities = new ObjectMapper().readTree(output.toFile()).path("modalities");
        assertThat(fieldNames(modalities)).containsExactly("audio", "mixed", "video");
        JsonNode audio = modalities.path("audio");
        assertThat(audio.path("samples").asLong()).isEqualTo(2);
        assertThat(audio.path("tokens").asLong()).isGreaterThan(31);
        assertThat(audio.path("skipped")).hasSize(1);
        assertThat(fieldNames(audio.path("skipped").get(0))).containsExactly("id", "reason");
        assertThat(audio.path("experts")).hasSize(6);
        for (JsonNode layer : audio.path("experts")) {
            assertThat(fieldNames(layer)).containsExactlyInAnyOrder("layer", "saliency_sum", "routed_count",
                    "gate_weight_sum");
            assertThat(layer.path("saliency_sum")).hasSize(8);
            assertThat(layer.path("routed_count")).hasSize(8);
            assertThat(layer.path("gate_weight_sum")).hasSize(8);
        }
        // 6 layers with offsets 1 to 3: 6 + 5 + 4 entries
        assertThat(audio.path("cosine")).hasSize(15);
        assertThat(fieldNames(audio.path("cosine").get(0))).containsExactlyInAnyOrder("layer", "offset", "sum",
                "tokens");
        assertThat(modalities.path("video").path("samples").asLong()).isEqualTo(2);
        assertThat(modalities.path("video").path("skipped").get(0).path("reason").asText()).contains("lost.mp4");
        assertThat(modalities.path("mixed").path("samples").asLong()).isEqualTo(1);
        assertThat(modalities.path("mixed").path("tokens").asLong()).isEqualTo(TinyFixture.MIXED_LINE_TOKENS);

        CalibrationStats direct;
        try (Calibration calibration = Calibration.open(TinyFixture.modelStore())) {
            direct = calibration.run(new CalibrationRun(files, 10, ComputeOptions.cpuFloat32()),
                    CalibrationListener.NONE).statistics();
        }
        assertThat(CalibrationStats.fromJson(Files.readAllBytes(output))).isEqualTo(direct);

        assertThat(out.toString())
                .contains("audio  2 samples used, 1 skipped")
                .contains("video  2 samples used, 1 skipped")
                .contains("mixed  1 samples used, 0 skipped, " + TinyFixture.MIXED_LINE_TOKENS + " tokens")
                .contains("tokens/s")
                .contains("weights: 6 layers read once each")
                .contains("peak Java heap")
                .contains("peak process RSS");
    }

    @Test
    void samplesPastTheMediaLimitsAreSkippedWithTheReasonAndTheRunGoesOn() throws Exception {
        assumeThat(TestVideos.ffmpegInstalled()).as("ffmpeg is installed").isTrue();
        Map<Modality, Path> files = TinyFixture.load().writeDataSets(dir);
        Path output = dir.resolve("stats.json");

        int exitCode = execute("calibrate", "-m", TinyQwen3Omni.model().toString(),
                "--audio-data", files.get(Modality.AUDIO).toString(),
                "--video-data", files.get(Modality.VIDEO).toString(),
                "--calibration-samples", "10", "--output", output.toString(), "--max-video-frames", "1");

        assertThat(exitCode).as(err.toString()).isZero();
        JsonNode modalities = new ObjectMapper().readTree(output.toFile()).path("modalities");
        assertThat(modalities.path("audio").path("samples").asLong()).isEqualTo(2);
        assertThat(modalities.path("video").path("samples").asLong()).isZero();
        List<String> reasons = new ArrayList<>();
        modalities.path("video").path("skipped").forEach(skipped -> reasons.add(skipped.path("reason").asText()));
        assertThat(reasons).filteredOn(reason -> reason.contains("is too long")).hasSize(2)
                .allSatisfy(reason -> assertThat(reason).contains("give more than 1 frames"));
    }

    @Test
    void aToolTimeoutBelowOneSecondIsBadInput() throws Exception {
        Path audio = Files.write(dir.resolve("audio.jsonl"), List.of("{\"id\": \"a\", \"text\": \"hello\"}"));

        int exitCode = execute("calibrate", "--model-path", TinyQwen3Omni.model().toString(),
                "--audio-data", audio.toString(), "--tool-timeout", "0", "--output", dir.resolve("s.json").toString());

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString()).contains("--tool-timeout must be at least 1 second");
    }

    @Test
    void aSampleLimitBelowOneIsBadInput() throws Exception {
        Path audio = Files.write(dir.resolve("audio.jsonl"), List.of("{\"id\": \"a\", \"text\": \"hello\"}"));
        Path output = dir.resolve("stats.json");

        int exitCode = execute("calibrate", "--model-path", TinyQwen3Omni.model().toString(),
                "--audio-data", audio.toString(), "--calibration-samples", "0",
                "--output", output.toString());

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString()).contains("sample limit must be at least 1");
        assertThat(output).doesNotExist();
    }

    @Test
    void aMissingRequiredFlagIsBadInput() {
        int exitCode = execute("calibrate", "--model-path", TinyQwen3Omni.model().toString(),
                "--calibration-samples", "4", "--output", dir.resolve("stats.json").toString());

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString()).contains("--audio-data");
    }

    private int execute(String... args) {
        CommandLine commandLine = ReapOmni.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
