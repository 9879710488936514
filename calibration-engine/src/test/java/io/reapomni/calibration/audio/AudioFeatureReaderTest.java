package io.reapomni.calibration.audio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The limits of one clip: what is refused, and that it is refused before its samples are read. */
class AudioFeatureReaderTest {

    private static final AudioFeatureReader FIVE_MINUTES = new AudioFeatureReader(Duration.ofMinutes(5));

    @TempDir
    Path dir;

    @Test
    void aThreeGigabyteWavIsRefusedFromItsHeaderWithoutReadingIt() throws Exception {
        Path wav = dir.resolve("long.wav");
        long dataBytes = 3L << 30;
        // A sparse file: 3 GiB long, a header's worth of it on disk.
        try (RandomAccessFile file = new RandomAccessFile(wav.toFile(), "rw")) {
            byte[] header = TestWavFiles.bytes(new double[][] {new double[0]}, 48_000, TestWavFiles.Encoding.PCM_16,
                    false);
            ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).putInt(40, (int) dataBytes);
            file.write(header);
            file.setLength(header.length + dataBytes);
        }

        assertThatThrownBy(() -> FIVE_MINUTES.read(wav))
                .isInstanceOf(AudioDecodingException.class)
                .hasMessage(wav + " holds 33554.4 s of audio, more than the 300 s a clip may have (README, Limits"
                        + " and guarantees)");
    }

    @Test
    void aClipUpToTheLimitIsReadAndALongerOneIsNot() throws Exception {
        Path second = TestWavFiles.write(dir.resolve("one-second.wav"), TestWavFiles.sine(440, 0.5, 44_100, 44_100,
                2), 44_100, TestWavFiles.Encoding.PCM_16, false);
        Path longer = TestWavFiles.write(dir.resolve("longer.wav"), TestWavFiles.sine(440, 0.5, 44_100, 44_101, 2),
                44_100, TestWavFiles.Encoding.PCM_16, false);
        AudioFeatureReader oneSecond = new AudioFeatureReader(Duration.ofSeconds(1));

        assertThat(oneSecond.read(second).frames()).isEqualTo(100);
        assertThatThrownBy(() -> oneSecond.read(longer)).hasMessageContaining("holds 1.0 s of audio, more than the"
                + " 1 s a clip may have");
    }

    @Test
    void aSampleRateWhoseResamplingFilterWouldNotFitIsRefused() throws Exception {
        Path odd = TestWavFiles.write(dir.resolve("odd-rate.wav"), new double[][] {new double[1000]}, 999_999,
                TestWavFiles.Encoding.PCM_16, false);

        assertThatThrownBy(() -> FIVE_MINUTES.read(odd))
                .isInstanceOf(AudioDecodingException.class)
                .hasMessageStartingWith(odd + ": unsupported sample rate: resampling 999999 Hz to 16000 Hz would need"
                        + " a filter of 16000 phases");
    }

    @Test
    void featuresStreamedFromTheFileEqualThoseOfTheWholeClipResampledAtOnce() throws Exception {
        double[][] stereo = TestWavFiles.sine(300, 0.4, 48_000, 3 * 48_000 + 17, 2);
        Path wav = TestWavFiles.write(dir.resolve("tone.wav"), stereo, 48_000, TestWavFiles.Encoding.FLOAT_32, false);

        MonoAudio whole = WavDecoder.decode(wav);
        AudioFeatures atOnce = new WhisperLogMel().extract(new MonoAudio(
                new SincResampler(48_000, 16_000).resample(whole.samples()), 16_000));

        assertThat(FIVE_MINUTES.read(wav).values()).containsExactly(atOnce.values());
        assertThat(Files.size(wav)).isGreaterThan(1_000_000L);
    }
}
