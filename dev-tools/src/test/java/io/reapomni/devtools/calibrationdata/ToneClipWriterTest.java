package io.reapomni.devtools.calibrationdata;

import io.reapomni.calibration.audio.MonoAudio;
import io.reapomni.calibration.audio.WavDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ToneClipWriterTest {
    private static final String SIX_WORDS = "Please set a timer for ten.";

    @TempDir
    Path dir;

    @Test
    void writesSixteenKilohertzMonoWavsOfTheStatedLength() throws Exception {
        ToneClipWriter writer = new ToneClipWriter();
        for (int seed = 0; seed < 12; seed++) {
            Path file = dir.resolve("clip-" + seed + ".wav");

            double seconds = writer.write(file, SIX_WORDS, new Random(seed));

            MonoAudio audio = WavDecoder.decode(file);
            assertThat(audio.sampleRate()).isEqualTo(16_000);
            // 0.35 s a word
            assertThat(seconds).isCloseTo(2.1, within(1e-9));
            assertThat(audio.length()).isEqualTo(33_600);
            assertThat(peak(audio.samples())).isBetween(0.2, 1.0);
        }
    }

    @Test
    void clipLengthsStayWithinOneToFourSeconds() throws Exception {
        ToneClipWriter writer = new ToneClipWriter();

        double shortest = writer.write(dir.resolve("short.wav"), "Hello.", new Random(1));
        double longest = writer.write(dir.resolve("long.wav"), "word ".repeat(40), new Random(1));

        assertThat(shortest).isEqualTo(1.0);
        assertThat(WavDecoder.decode(dir.resolve("short.wav")).length()).isEqualTo(16_000);
        assertThat(longest).isEqualTo(4.0);
        assertThat(WavDecoder.decode(dir.resolve("long.wav")).length()).isEqualTo(64_000);
    }

    @Test
    void everyKindOfToneIsAudibleAndWithinFullScale() {
        for (ToneKind kind : ToneKind.values()) {
            double[] samples = kind.render(16_000, 16_000, new Random(3));

            assertThat(samples).as(kind.name()).hasSize(16_000);
            assertThat(rms(samples)).as(kind.name()).isGreaterThan(0.1);
            assertThat(peak(samples)).as(kind.name()).isLessThanOrEqualTo(1.0);
        }
    }

    private static double peak(double[] samples) {
        return Arrays.stream(samples).map(Math::abs).max().orElseThrow();
    }

    private static double rms(double[] samples) {
        return Math.sqrt(Arrays.stream(samples).map(sample -> sample * sample).average().orElseThrow());
    }
}
