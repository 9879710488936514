package io.reapomni.calibration.model;

import io.reapomni.calibration.TestDevice;
import io.reapomni.calibration.TinyFixture;
import io.reapomni.common.calibration.CalibrationStats;
import io.reapomni.common.calibration.ModalityStats;
import io.reapomni.common.calibration.SkippedSample;
import io.reapomni.common.job.Modality;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RunnerMergeTest {

    @Test
    void twoRunsMergedEqualOneRunOverAllSamples() throws IOException {
        TinyFixture fixture = TinyFixture.load();
        ThinkerInput text = new ThinkerInput("t", Modality.AUDIO, fixture.tokenIds("text"), Optional.empty(), Optional.empty());
        ThinkerInput audio = new ThinkerInput("a", Modality.AUDIO, fixture.tokenIds("audio"),
                Optional.of(fixture.audioFeatures()), Optional.empty());
        ThinkerInput mixedText = new ThinkerInput("m", Modality.MIXED, fixture.tokenIds("text"), Optional.empty(), Optional.empty());
        LayerByLayerRunner runner = new LayerByLayerRunner(fixture.weights, fixture.config,
                TestDevice.float32());

        CalibrationStats union = runner.run(List.of(text, audio, mixedText), ProgressListener.NONE);
        CalibrationStats first = runner.run(List.of(text), ProgressListener.NONE);
        CalibrationStats second = runner.run(List.of(audio, mixedText), ProgressListener.NONE);

        assertThat(first.plus(second)).isEqualTo(union);
        assertThat(union.modalities().keySet()).containsExactly("audio", "mixed");
        assertThat(union.modalities().get("audio").samples()).isEqualTo(2);
        assertThat(union.modalities().get("audio").tokens()).isEqualTo(24 + 31);
        assertThat(CalibrationStats.fromJson(union.toJson())).isEqualTo(union);
    }

    @Test
    void promptWhosePadRunDoesNotMatchTheAudioIsSkippedWithAReason() throws IOException {
        TinyFixture fixture = TinyFixture.load();
        int[] ids = fixture.tokenIds("audio");
        int[] shortened = Arrays.copyOf(ids, ids.length - 1);
        int audioPad = fixture.config.at("/thinker_config/audio_token_id").asInt();
        // drop one pad: move the tail left over the first pad
        int firstPad = 0;
        while (ids[firstPad] != audioPad) {
            firstPad++;
        }
        System.arraycopy(ids, firstPad + 1, shortened, firstPad, ids.length - firstPad - 1);
        ThinkerInput bad = new ThinkerInput("bad", Modality.AUDIO, shortened, Optional.of(fixture.audioFeatures()), Optional.empty());
        ThinkerInput good = new ThinkerInput("good", Modality.AUDIO, fixture.tokenIds("text"), Optional.empty(), Optional.empty());

        ModalityStats stats = new LayerByLayerRunner(fixture.weights, fixture.config, TestDevice.float32())
                .run(List.of(bad, good), ProgressListener.NONE).modalities().get("audio");

        assertThat(stats.samples()).isEqualTo(1);
        assertThat(stats.skipped()).containsExactly(new SkippedSample("bad",
                "the prompt has 17 <audio_pad> tokens but the audio encodes to 18"));
    }

    @Test
    void videoSamplesAreEncodedAndAVideoWhosePadsDoNotMatchIsSkipped() throws IOException {
        TinyFixture fixture = TinyFixture.load();
        int[] ids = fixture.tokenIds("video");
        ThinkerInput video = new ThinkerInput("v", Modality.VIDEO, ids, Optional.empty(),
                Optional.of(fixture.videoPatches(1.0f)));
        ThinkerInput shortened = new ThinkerInput("short", Modality.VIDEO, Arrays.copyOfRange(ids, 1, ids.length),
                Optional.empty(), Optional.of(fixture.videoPatches(1.0f)));
        int[] onePadLess = withoutFirst(ids, fixture.config.at("/thinker_config/video_token_id").asInt());
        ThinkerInput bad = new ThinkerInput("bad", Modality.VIDEO, onePadLess, Optional.empty(),
                Optional.of(fixture.videoPatches(1.0f)));

        ModalityStats stats = new LayerByLayerRunner(fixture.weights, fixture.config, TestDevice.float32())
                .run(List.of(video, bad, shortened), ProgressListener.NONE).modalities().get("video");

        assertThat(stats.samples()).isEqualTo(2);
        assertThat(stats.tokens()).isEqualTo(21 + 20);
        assertThat(stats.experts()).hasSize(6);
        assertThat(stats.skipped()).containsExactly(new SkippedSample("bad",
                "the prompt has 7 <video_pad> tokens but the video encodes to 8"));
    }

    private static int[] withoutFirst(int[] ids, int token) {
        int first = 0;
        while (ids[first] != token) {
            first++;
        }
        int[] shorter = new int[ids.length - 1];
        System.arraycopy(ids, 0, shorter, 0, first);
        System.arraycopy(ids, first + 1, shorter, first, ids.length - first - 1);
        return shorter;
    }
}
