package io.reapomni.calibration.model;

import io.reapomni.calibration.TestDevice;
import io.reapomni.calibration.TinyFixture;
import io.reapomni.calibration.stats.CalibrationStats;
import io.reapomni.calibration.stats.ModalityStats;
import io.reapomni.calibration.stats.SkippedSample;
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
        ThinkerInput text = new ThinkerInput("t", Modality.AUDIO, fixture.tokenIds("text"), Optional.empty());
        ThinkerInput audio = new ThinkerInput("a", Modality.AUDIO, fixture.tokenIds("audio"),
                Optional.of(fixture.audioFeatures()));
        ThinkerInput mixedText = new ThinkerInput("m", Modality.MIXED, fixture.tokenIds("text"), Optional.empty());
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
        ThinkerInput bad = new ThinkerInput("bad", Modality.AUDIO, shortened, Optional.of(fixture.audioFeatures()));
        ThinkerInput good = new ThinkerInput("good", Modality.AUDIO, fixture.tokenIds("text"), Optional.empty());

        ModalityStats stats = new LayerByLayerRunner(fixture.weights, fixture.config, TestDevice.float32())
                .run(List.of(bad, good), ProgressListener.NONE).modalities().get("audio");

        assertThat(stats.samples()).isEqualTo(1);
        assertThat(stats.skipped()).containsExactly(new SkippedSample("bad",
                "the prompt has 17 <audio_pad> tokens but the audio encodes to 18"));
    }
}
