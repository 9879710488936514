package io.reapomni.calibration.data;

import io.reapomni.calibration.TinyFixture;
import io.reapomni.calibration.video.VideoProcessing;
import io.reapomni.calibration.vision.VisionConfig;
import io.reapomni.common.storage.LocalObjectStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VideoProcessorConfigTest {
    private static VisionConfig vision;

    @TempDir
    Path model;

    @BeforeAll
    static void loadVision() throws Exception {
        vision = VisionConfig.of(TinyFixture.load().config);
    }

    @Test
    void withoutAProcessorConfigTheDefaultsAreQwen3OmnisInTransformers() throws Exception {
        VideoProcessing processing = VideoProcessorConfig.read(new LocalObjectStore(model), vision);

        // Qwen3OmniMoeProcessor: size {shortest_edge: 128*32*32, longest_edge: 768*32*32}, fps 1.0 when not given;
        // Qwen2VLVideoProcessor: OPENAI_CLIP_MEAN and OPENAI_CLIP_STD
        assertThat(processing.minPixels()).isEqualTo(131_072);
        assertThat(processing.maxPixels()).isEqualTo(786_432);
        assertThat(processing.framesPerSecond()).isEqualTo(1.0);
        assertThat(processing.secondsPerGrid()).isEqualTo(2.0f);
        assertThat(processing.mean()).containsExactly(0.48145466, 0.4578275, 0.40821073);
        assertThat(processing.std()).containsExactly(0.26862954, 0.26130258, 0.27577711);
        assertThat(List.of(processing.patchSize(), processing.mergeSize(), processing.temporalPatchSize()))
                .containsExactly(16, 2, 2);
    }

    @Test
    void theVideoProcessorsFileWinsAndItsPixelKeysWinOverSize() throws Exception {
        write("preprocessor_config.json", "{\"fps\": 4.0}");
        write("video_preprocessor_config.json", "{\"fps\": 2.0, \"min_pixels\": 4096, \"size\": {\"shortest_edge\": 1,"
                + " \"longest_edge\": 65536}, \"image_mean\": [0.5, 0.5, 0.5], \"patch_size\": 16}");

        VideoProcessing processing = VideoProcessorConfig.read(new LocalObjectStore(model), vision);

        assertThat(processing.framesPerSecond()).isEqualTo(2.0);
        assertThat(processing.minPixels()).isEqualTo(4096);
        assertThat(processing.maxPixels()).isEqualTo(65536);
        assertThat(processing.mean()).containsExactly(0.5, 0.5, 0.5);
        assertThat(processing.std()).containsExactly(0.26862954, 0.26130258, 0.27577711);
    }

    @Test
    void thePreprocessorConfigIsReadWhenThereIsNoVideoOne() throws Exception {
        write("preprocessor_config.json", "{\"max_pixels\": 200000}");

        assertThat(VideoProcessorConfig.read(new LocalObjectStore(model), vision).maxPixels()).isEqualTo(200_000);
    }

    @Test
    void patchSizesOtherThanTheVisionTowersAreRefused() throws Exception {
        write("video_preprocessor_config.json", "{\"patch_size\": 14}");

        assertThatThrownBy(() -> VideoProcessorConfig.read(new LocalObjectStore(model), vision))
                .isInstanceOf(CalibrationDataException.class)
                .hasMessageContaining("patch_size = 14").hasMessageContaining("16");
    }

    private void write(String name, String json) throws IOException {
        Files.writeString(model.resolve(name), json);
    }
}
