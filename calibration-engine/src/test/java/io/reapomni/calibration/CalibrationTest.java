package io.reapomni.calibration;

import io.reapomni.calibration.data.CalibrationData;
import io.reapomni.calibration.data.CalibrationDataException;
import io.reapomni.calibration.data.ModelTokenizer;
import io.reapomni.common.calibration.CalibrationStats;
import io.reapomni.common.calibration.ExpertLayerStats;
import io.reapomni.common.calibration.ModalityStats;
import io.reapomni.common.calibration.SkippedSample;
import io.reapomni.common.job.Modality;
import io.reapomni.common.storage.LocalObjectStore;
import io.reapomni.common.storage.ReadCountingStore;
import io.reapomni.testfixtures.TinyQwen3Omni;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

class CalibrationTest {
    private static TinyFixture fixture;

    @BeforeAll
    static void loadFixture() throws IOException {
        fixture = TinyFixture.load();
    }

    @Test
    void everyDataSetGetsItsStatisticsAndItsSkippedSamples(@TempDir Path dir) throws Exception {
        assumeThat(TestVideos.ffmpegInstalled()).as("ffmpeg is installed").isTrue();
        Map<Modality, Path> files = fixture.writeDataSets(dir);
        List<Modality> prepared = new ArrayList<>();
        List<Integer> layersDone = new ArrayList<>();
        List<Integer> videosEncoded = new ArrayList<>();
        CalibrationListener listener = new CalibrationListener() {
            @Override
            public void prepared(Modality dataSet, CalibrationData data) {
                prepared.add(dataSet);
            }

            @Override
            public void videoEncoded(int done, int total) {
                videosEncoded.add(done);
            }

            @Override
            public void layerDone(int done, int total, long tokens) {
                layersDone.add(done);
            }
        };

        CalibrationStats stats;
        try (Calibration calibration = Calibration.open(TinyFixture.modelStore())) {
            stats = calibration.run(new CalibrationRun(files, 10, TestDevice.float32()), listener).statistics();
        }

        assertThat(prepared).containsExactly(Modality.AUDIO, Modality.VIDEO, Modality.MIXED);
        assertThat(layersDone).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(videosEncoded).containsExactly(1, 2, 3);
        assertThat(stats.modalities().keySet()).containsExactly("audio", "mixed", "video");

        ModalityStats audio = stats.modalities().get("audio");
        assertThat(audio.samples()).isEqualTo(2);
        assertThat(audio.tokens()).isGreaterThan(31);
        assertThat(audio.skipped()).containsExactly(new SkippedSample("empty", "audio.jsonl line 3: empty text"));
        assertThat(audio.experts()).hasSize(6);

        // the text line renders as the chat template with one video pad, which the processor expands to the clip's
        int textLine;
        try (ModelTokenizer tokenizer = ModelTokenizer.load(TinyFixture.modelStore())) {
            textLine = tokenizer.encode("<|im_start|>user\n<|vision_start|><|video_pad|><|vision_end|>What happens?"
                    + "<|im_end|>\n<|im_start|>assistant\n").length - 1 + TinyFixture.CLIP_TOKENS;
        }
        ModalityStats video = stats.modalities().get("video");
        assertThat(video.samples()).isEqualTo(2);
        assertThat(video.tokens()).isEqualTo(TinyFixture.VIDEO_LINE_TOKENS + textLine);
        assertThat(video.experts()).hasSize(6);
        assertThat(video.skipped()).singleElement().satisfies(skipped -> {
            assertThat(skipped.id()).isEqualTo("lost");
            assertThat(skipped.reason()).startsWith("video.jsonl line 3: ").contains("lost.mp4");
        });

        ModalityStats mixed = stats.modalities().get("mixed");
        assertThat(mixed.samples()).isEqualTo(1);
        assertThat(mixed.tokens()).isEqualTo(TinyFixture.MIXED_LINE_TOKENS);
        assertThat(mixed.skipped()).isEmpty();
        assertThat(mixed.experts()).hasSize(6);
        for (ModalityStats modality : List.of(video, mixed)) {
            for (ExpertLayerStats layer : modality.experts()) {
                // every token is routed to top-2 experts in every layer
                assertThat(LongStream.of(layer.routedCount()).sum()).isEqualTo(2 * modality.tokens());
            }
        }
    }

    @Test
    void aTextSampleGivesTransformersReferenceSums(@TempDir Path dir) throws Exception {
        Path jsonl = Files.write(dir.resolve("text.jsonl"), List.of("{\"id\": \"fixture-text\", \"input_ids\": "
                + Arrays.toString(fixture.tokenIds("text")) + "}"));

        CalibrationStats stats;
        try (Calibration calibration = Calibration.open(TinyFixture.modelStore())) {
            stats = calibration.run(new CalibrationRun(Map.of(Modality.AUDIO, jsonl), 10,
                    TestDevice.float32()), CalibrationListener.NONE).statistics();
        }

        ModalityStats text = stats.modalities().get("audio");
        assertThat(text.samples()).isEqualTo(1);
        assertThat(text.tokens()).isEqualTo(24);
        for (ExpertLayerStats layer : text.experts()) {
            String name = "text.layer" + layer.layer();
            double[] counts = fixture.doubles(name + ".routed_count");
            double[] saliency = fixture.doubles(name + ".saliency_sum");
            for (int e = 0; e < counts.length; e++) {
                assertThat((double) layer.routedCount()[e]).isEqualTo(counts[e]);
                assertThat(layer.saliencySum()[e]).isCloseTo(saliency[e], within(1e-4 * Math.abs(saliency[e])));
            }
        }
    }

    @Test
    void aModelWithoutTokenizerIsRefusedByName(@TempDir Path model) throws IOException {
        for (String file : List.of("config.json", "model.safetensors.index.json")) {
            Files.copy(TinyQwen3Omni.model().resolve(file), model.resolve(file));
        }

        assertThatThrownBy(() -> Calibration.open(new LocalObjectStore(model)))
                .isInstanceOf(CalibrationDataException.class)
                .hasMessageContaining("no tokenizer")
                .hasMessageContaining(model.resolve("tokenizer.json").toString());
    }

    @Test
    void openingAModelReadsItsConfigOnce() throws Exception {
        ReadCountingStore counted = new ReadCountingStore(TinyFixture.modelStore());

        try (Calibration calibration = Calibration.open(counted)) {
            assertThat(counted.reads()).containsEntry("config.json", 1).containsEntry("tokenizer.json", 1);
        }
    }

    @Test
    void aModelWhoseConfigIsNotJsonIsRefusedAsDataNamingTheModel(@TempDir Path model) throws IOException {
        Files.copy(TinyQwen3Omni.model().resolve("tokenizer.json"), model.resolve("tokenizer.json"));
        Files.writeString(model.resolve("config.json"), "{\"model_type\": ");

        assertThatThrownBy(() -> Calibration.open(new LocalObjectStore(model)))
                .isInstanceOf(CalibrationDataException.class)
                .hasMessageContaining(model.toString())
                .hasMessageContaining("config.json is not valid JSON");
    }

    @Test
    void dataWithoutASingleUsableSampleIsAnError(@TempDir Path dir) throws Exception {
        Path video = Files.write(dir.resolve("video.jsonl"), List.of(
                "{\"id\": \"clip\", \"text\": \"What happens?\", \"modality\": \"video\"}"));

        try (Calibration calibration = Calibration.open(TinyFixture.modelStore())) {
            assertThatThrownBy(() -> calibration.run(new CalibrationRun(Map.of(Modality.VIDEO, video), 10,
                    TestDevice.float32()), CalibrationListener.NONE))
                    .isInstanceOf(CalibrationDataException.class)
                    .hasMessageContaining("no usable calibration sample")
                    .hasMessageContaining("1 skipped");
        }
    }
}
