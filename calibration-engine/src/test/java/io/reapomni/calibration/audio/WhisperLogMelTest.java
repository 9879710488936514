package io.reapomni.calibration.audio;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class WhisperLogMelTest {
    private final WhisperLogMel logMel = new WhisperLogMel();

    @Test
    void oneFramePerHopWithTheCentredExtraFrameDropped() {
        assertThat(WhisperLogMel.frameCount(21_920)).isEqualTo(137);
        AudioFeatures features = logMel.extract(new MonoAudio(new double[16_000], 16_000));
        assertThat(features.melBins()).isEqualTo(128);
        assertThat(features.frames()).isEqualTo(100);
    }

    @Test
    void silenceSitsAtTheMelFloor() {
        // log10(1e-10) = -10 everywhere, so the clamp changes nothing and (−10 + 4) / 4 = −1.5.
        AudioFeatures features = logMel.extract(new MonoAudio(new double[4000], 16_000));
        for (float value : features.values()) {
            assertThat(value).isEqualTo(-1.5f);
        }
    }

    @Test
    void aToneLightsTheFilterAroundItsFrequencyAndTheRangeIsEightDecades() {
        double[] tone = TestWavFiles.sine(1000, 0.5, 16_000, 16_000, 1)[0];

        AudioFeatures features = logMel.extract(new MonoAudio(tone, 16_000));

        int frame = 50;
        int loudest = 0;
        float max = Float.NEGATIVE_INFINITY;
        float min = Float.POSITIVE_INFINITY;
        for (int mel = 0; mel < 128; mel++) {
            if (features.value(mel, frame) > features.value(loudest, frame)) {
                loudest = mel;
            }
            for (int f = 0; f < features.frames(); f++) {
                max = Math.max(max, features.value(mel, f));
                min = Math.min(min, features.value(mel, f));
            }
        }
        double lower = MelFilterBank.melToHertz(45.245640471924965 * loudest / 129);
        double upper = MelFilterBank.melToHertz(45.245640471924965 * (loudest + 2) / 129);
        assertThat(1000.0).isBetween(lower, upper);
        // The clamp keeps 8 decades below the maximum: 8 / 4 = 2 in the scaled values.
        assertThat((double) (max - min)).isCloseTo(2.0, within(1e-6));
    }

    @Test
    void refusesOtherRatesAndClipsTooShortToPad() {
        assertThatThrownBy(() -> logMel.extract(new MonoAudio(new double[1000], 8000)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8000 Hz");
        assertThatThrownBy(() -> logMel.extract(new MonoAudio(new double[200], 16_000)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("201");
    }
}
