package io.reapomni.calibration;

import io.reapomni.calibration.data.CalibrationData;
import io.reapomni.calibration.data.CalibrationDataException;
import io.reapomni.calibration.stats.CalibrationStats;
import io.reapomni.calibration.stats.ExpertLayerStats;
import io.reapomni.calibration.stats.ModalityStats;
import io.reapomni.calibration.stats.SkippedSample;
import io.reapomni.common.job.Modality;
import io.reapomni.common.storage.LocalObjectStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class CalibrationTest {
    private static TinyFixture fixture;

    @BeforeAll
    static void loadFixture() throws IOException {
        fixture = TinyFixture.load();
    }

    @Test
    void everyDataSetGetsItsStatisticsAndItsSkippedSamples(@TempDir Path dir) throws Exception {
        Map<Modality, Path> files = fixture.writeDataSets(dir);
        List<Modality> prepared = new ArrayList<>();
        List<Integer> layersDone = new ArrayList<>();
        CalibrationListener listener = new CalibrationListener() {
            @Override
            public void prepared(Modality dataSet, CalibrationData data) {
                prepared.add(dataSet);
            }

            @Override
            public void layerDone(int done, int total, long tokens) {
                layersDone.add(done);
            }
        };

        CalibrationStats stats;
        try (Calibration calibration = Calibration.open(TinyFixture.modelStore())) {
            stats = calibration.run(new CalibrationRequest(files, 10, TestDevice.float32()), listener);
        }

        assertThat(prepared).containsExactly(Modality.AUDIO, Modality.VIDEO, Modality.MIXED);
        assertThat(layersDone).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(stats.modalities().keySet()).containsExactly("audio", "mixed", "video");

        ModalityStats audio = stats.modalities().get("audio");
        assertThat(audio.samples()).isEqualTo(2);
        assertThat(audio.tokens()).isGreaterThan(31);
        assertThat(audio.skipped()).containsExactly(new SkippedSample("empty", "audio.jsonl line 3: empty text"));
        assertThat(audio.experts()).hasSize(6);

        ModalityStats video = stats.modalities().get("video");
        assertThat(video.samples()).isZero();
        assertThat(video.experts()).isEmpty();
        assertThat(video.skipped()).singleElement().satisfies(skipped -> {
            assertThat(skipped.id()).isEqualTo("clip");
            assertThat(skipped.reason()).contains("not supported yet");
        });

        // The mixed data set is the fixture's text input alone: its sums are transformers' reference sums.
        ModalityStats mixed = stats.modalities().get("mixed");
        assertThat(mixed.samples()).isEqualTo(1);
        assertThat(mixed.tokens()).isEqualTo(24);
        for (ExpertLayerStats layer : mixed.experts()) {
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
            Files.copy(TinyFixture.modelDir().resolve(file), model.resolve(file));
        }

        assertThatThrownBy(() -> Calibration.open(new LocalObjectStore(model)))
                .isInstanceOf(CalibrationDataException.class)
                .hasMessageContaining("no tokenizer")
                .hasMessageContaining(model.resolve("tokenizer.json").toString());
    }

    @Test
    void dataWithoutASingleUsableSampleIsAnError(@TempDir Path dir) throws Exception {
        Path video = fixture.writeDataSets(dir).get(Modality.VIDEO);

        try (Calibration calibration = Calibration.open(TinyFixture.modelStore())) {
            assertThatThrownBy(() -> calibration.run(new CalibrationRequest(Map.of(Modality.VIDEO, video), 10,
                    TestDevice.float32()), CalibrationListener.NONE))
                    .isInstanceOf(CalibrationDataException.class)
                    .hasMessageContaining("no usable calibration sample")
                    .hasMessageContaining("1 skipped");
        }
    }
}
