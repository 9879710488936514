package io.reapomni.calibration.audio;

import io.reapomni.calibration.TinyFixture;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** The fixture's audio.wav against what transformers computed from it. */
class FixtureAudioParityTest {
    private static final Logger LOG = LoggerFactory.getLogger(FixtureAudioParityTest.class);

    private static final double FEATURE_TOLERANCE = 1e-4;

    @Test
    void waveformIsTheSixteenBitSamplesOver32768() throws Exception {
        float[] expected = TinyFixture.load().floats("audio.waveform", 21_920);

        MonoAudio audio = WavDecoder.decode(TinyFixture.audioWav());

        assertThat(audio.sampleRate()).isEqualTo(16_000);
        double[] samples = audio.samples();
        assertThat(samples).hasSize(expected.length);
        for (int t = 0; t < samples.length; t++) {
            assertThat(samples[t]).isEqualTo(expected[t]);
        }
    }

    @Test
    void logMelFeaturesMatchTransformers() throws Exception {
        float[] expected = TinyFixture.load().floats("audio.input_features", 128, 137);

        AudioFeatures features = new AudioFeatureReader(Duration.ofMinutes(5)).read(TinyFixture.audioWav());

        assertThat(features.melBins()).isEqualTo(128);
        assertThat(features.frames()).isEqualTo(137);
        float[] actual = features.values();
        double maxError = 0;
        for (int i = 0; i < expected.length; i++) {
            maxError = Math.max(maxError, Math.abs(actual[i] - expected[i]));
        }
        LOG.debug(String.format(Locale.ROOT,
                "audio.input_features: max abs error %.3g over %d values", maxError, expected.length));
        assertThat(maxError).isLessThan(FEATURE_TOLERANCE);
        assertThat(AudioTokenCount.forFrames(features.frames())).isEqualTo(18);
    }
}
