package io.reapomni.calibration.audio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class WavDecoderTest {
    @TempDir
    Path dir;

    @Test
    void sixteenBitSamplesScaleBy32768() throws Exception {
        byte[] wav = header16BitMono(4);
        ByteBuffer data = ByteBuffer.wrap(wav, 44, 8).order(ByteOrder.LITTLE_ENDIAN);
        data.putShort((short) -32768).putShort((short) 16384).putShort((short) 32767).putShort((short) -1);

        MonoAudio audio = decode(wav, "clip.wav");

        assertThat(audio.sampleRate()).isEqualTo(16000);
        assertThat(audio.samples()).containsExactly(-1.0, 0.5, 32767 / 32768.0, -1 / 32768.0);
    }

    @Test
    void eightBitIsUnsignedAroundOneTwentyEight() throws Exception {
        byte[] wav = TestWavFiles.bytes(new double[][] {{0.0, 0.5, -1.0}}, 8000, TestWavFiles.Encoding.PCM_8, false);
        assertThat(decode(wav, "x.wav").samples()).containsExactly(0.0, 0.5, -1.0);
        assertThat(wav[44]).isEqualTo((byte) 128);
    }

    @ParameterizedTest
    @EnumSource(TestWavFiles.Encoding.class)
    void everyEncodingDecodesToTheWrittenSignal(TestWavFiles.Encoding encoding) throws Exception {
        double[][] tone = TestWavFiles.sine(440, 0.7, 22050, 500, 1);
        double tolerance = encoding == TestWavFiles.Encoding.PCM_8 ? 1.0 / 128 : 1e-4;

        for (boolean extensible : new boolean[] {false, true}) {
            Path file = TestWavFiles.write(dir.resolve(encoding + "-" + extensible + ".wav"), tone, 22050, encoding,
                    extensible);
            MonoAudio audio = WavDecoder.decode(file);
            assertThat(audio.sampleRate()).isEqualTo(22050);
            assertThat(audio.length()).isEqualTo(500);
            for (int t = 0; t < 500; t++) {
                assertThat(audio.samples()[t]).isCloseTo(tone[0][t], within(tolerance));
            }
        }
    }

    @Test
    void channelsAreAveragedToMono() throws Exception {
        double[][] stereo = {{0.5, -0.25, 1.0}, {-0.5, 0.75, 0.5}, {0.25, 0.25, 0.0}};
        byte[] wav = TestWavFiles.bytes(stereo, 48000, TestWavFiles.Encoding.FLOAT_32, false);

        double[] mono = decode(wav, "three-channels.wav").samples();

        assertThat(mono[0]).isCloseTo(0.25 / 3, within(1e-7));
        assertThat(mono[1]).isCloseTo(0.75 / 3, within(1e-7));
        assertThat(mono[2]).isCloseTo(0.5, within(1e-7));
    }

    @Test
    void chunksBeforeTheDataAndOddPaddingAreSkipped() throws Exception {
        byte[] plain = header16BitMono(1);
        ByteBuffer.wrap(plain, 44, 2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 8192);
        byte[] list = {'L', 'I', 'S', 'T', 3, 0, 0, 0, 'a', 'b', 'c', 0};
        byte[] wav = new byte[plain.length + list.length];
        System.arraycopy(plain, 0, wav, 0, 36);
        System.arraycopy(list, 0, wav, 36, list.length);
        System.arraycopy(plain, 36, wav, 36 + list.length, plain.length - 36);

        assertThat(decode(wav, "list.wav").samples()).containsExactly(0.25);
    }

    @Test
    void aFileThatIsNotRiffWaveIsRefusedByName() {
        byte[] notWav = "ID3 this is an mp3, honestly".getBytes();
        assertThatThrownBy(() -> decode(notWav, "song.mp3"))
                .isInstanceOf(AudioDecodingException.class)
                .hasMessageEndingWith("song.mp3: not a RIFF/WAVE file");
    }

    @Test
    void unsupportedEncodingsAreNamed() {
        byte[] adpcm = header16BitMono(2);
        ByteBuffer.wrap(adpcm).order(ByteOrder.LITTLE_ENDIAN).putShort(20, (short) 2);
        assertThatThrownBy(() -> decode(adpcm, "adpcm.wav"))
                .hasMessageContaining("adpcm.wav").hasMessageContaining("unsupported encoding")
                .hasMessageContaining("0x2");

        byte[] twelveBit = header16BitMono(2);
        ByteBuffer.wrap(twelveBit).order(ByteOrder.LITTLE_ENDIAN).putShort(34, (short) 12);
        assertThatThrownBy(() -> decode(twelveBit, "odd.wav"))
                .hasMessageContaining("odd.wav").hasMessageContaining("unsupported encoding: 12-bit integer PCM");
    }

    @Test
    void aDataChunkCutShortIsReportedAsTruncated() {
        byte[] full = header16BitMono(100);
        byte[] cut = Arrays.copyOf(full, full.length - 50);
        assertThatThrownBy(() -> decode(cut, "cut.wav"))
                .isInstanceOf(AudioDecodingException.class)
                .hasMessageEndingWith("cut.wav: truncated: the data chunk declares 200 bytes but only 150 remain");

        byte[] halfFrame = header16BitMono(3);
        ByteBuffer.wrap(halfFrame).order(ByteOrder.LITTLE_ENDIAN).putInt(40, 5);
        assertThatThrownBy(() -> decode(halfFrame, "half.wav"))
                .hasMessageContaining("half.wav: truncated");

        byte[] headerOnly = Arrays.copyOf(full, 30);
        assertThatThrownBy(() -> decode(headerOnly, "header.wav"))
                .hasMessageContaining("header.wav: truncated");
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("nowhere.wav");
        assertThatThrownBy(() -> WavDecoder.decode(missing))
                .isInstanceOf(AudioDecodingException.class)
                .hasMessageStartingWith(missing + ": cannot read the file");
    }

    @Test
    void decodedAudioCannotBeChangedFromOutside() throws IOException, AudioDecodingException {
        Path file = TestWavFiles.write(dir.resolve("a.wav"), new double[][] {{0.5}}, 16000,
                TestWavFiles.Encoding.PCM_16, false);
        MonoAudio audio = WavDecoder.decode(file);
        audio.samples()[0] = 9;
        assertThat(audio.samples()[0]).isEqualTo(0.5);
        assertThat(Files.size(file)).isEqualTo(46);
    }

    private MonoAudio decode(byte[] wav, String name) throws Exception {
        return WavDecoder.decode(Files.write(dir.resolve(name), wav));
    }

    /** A canonical 44-byte header for 16 kHz mono 16-bit PCM followed by {@code frames} zero samples. */
    private static byte[] header16BitMono(int frames) {
        return TestWavFiles.bytes(new double[][] {new double[frames]}, 16000, TestWavFiles.Encoding.PCM_16, false);
    }
}
