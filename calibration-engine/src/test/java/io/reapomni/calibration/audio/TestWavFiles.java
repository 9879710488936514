package io.reapomni.calibration.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes WAV files for tests, independently of the decoder under test. */
public final class TestWavFiles {
    public enum Encoding { PCM_8, PCM_16, PCM_24, PCM_32, FLOAT_32 }

    private TestWavFiles() {
    }

    /** A tone of amplitude {@code amplitude} at {@code hz}, the same on every channel. */
    public static double[][] sine(double hz, double amplitude, int sampleRate, int length, int channels) {
        double[][] samples = new double[channels][length];
        for (int c = 0; c < channels; c++) {
            for (int t = 0; t < length; t++) {
                samples[c][t] = amplitude * Math.sin(2 * Math.PI * hz * t / sampleRate);
            }
        }
        return samples;
    }

    public static Path write(Path file, double[][] channels, int sampleRate, Encoding encoding, boolean extensible)
            throws IOException {
        Files.write(file, bytes(channels, sampleRate, encoding, extensible));
        return file;
    }

    /** channels[c][t] in [-1, 1]; integer encodings round and clip. */
    public static byte[] bytes(double[][] channels, int sampleRate, Encoding encoding, boolean extensible) {
        int bits = switch (encoding) {
            case PCM_8 -> 8;
            case PCM_16 -> 16;
            case PCM_24 -> 24;
            case PCM_32, FLOAT_32 -> 32;
        };
        int channelCount = channels.length;
        int frames = channels[0].length;
        int blockAlign = channelCount * bits / 8;
        int dataBytes = frames * blockAlign;
        int fmtBytes = extensible ? 40 : 16;
        ByteBuffer buffer = ByteBuffer.allocate(12 + 8 + fmtBytes + 8 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(buffer.capacity() - 8)
                .put("WAVE".getBytes(StandardCharsets.US_ASCII));
        int tag = encoding == Encoding.FLOAT_32 ? 3 : 1;
        buffer.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(fmtBytes)
                .putShort((short) (extensible ? 0xFFFE : tag)).putShort((short) channelCount)
                .putInt(sampleRate).putInt(sampleRate * blockAlign).putShort((short) blockAlign).putShort((short) bits);
        if (extensible) {
            buffer.putShort((short) 22).putShort((short) bits).putInt(0).putShort((short) tag)
                    .put(new byte[] {0, 0, 0, 0, 0x10, 0, (byte) 0x80, 0, 0, (byte) 0xAA, 0, 0x38, (byte) 0x9B, 0x71});
        }
        buffer.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(dataBytes);
        for (int t = 0; t < frames; t++) {
            for (double[] channel : channels) {
                double x = channel[t];
                switch (encoding) {
                    case PCM_8 -> buffer.put((byte) (quantise(x, 128) + 128));
                    case PCM_16 -> buffer.putShort((short) quantise(x, 32768));
                    case PCM_24 -> {
                        long v = quantise(x, 8388608);
                        buffer.put((byte) v).put((byte) (v >> 8)).put((byte) (v >> 16));
                    }
                    case PCM_32 -> buffer.putInt((int) quantise(x, 2147483648L));
                    case FLOAT_32 -> buffer.putFloat((float) x);
                }
            }
        }
        return buffer.array();
    }

    private static long quantise(double x, long fullScale) {
        return Math.max(-fullScale, Math.min(fullScale - 1, Math.round(x * fullScale)));
    }
}
