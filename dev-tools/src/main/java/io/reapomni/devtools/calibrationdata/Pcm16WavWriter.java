package io.reapomni.devtools.calibrationdata;

import io.reapomni.calibration.audio.MonoAudio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes mono audio as a 16-bit integer PCM RIFF/WAVE file; samples beyond full scale are clipped. */
public final class Pcm16WavWriter {
    private static final int HEADER_BYTES = 44;
    private static final int BYTES_PER_SAMPLE = 2;

    private Pcm16WavWriter() {
    }

    public static void write(Path file, MonoAudio audio) throws SampleGenerationException {
        double[] samples = audio.samples();
        int dataBytes = samples.length * BYTES_PER_SAMPLE;
        ByteBuffer bytes = ByteBuffer.allocate(HEADER_BYTES + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        bytes.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(HEADER_BYTES - 8 + dataBytes)
                .put("WAVE".getBytes(StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16)
                .putShort((short) 1) // integer PCM
                .putShort((short) 1) // mono
                .putInt(audio.sampleRate())
                .putInt(audio.sampleRate() * BYTES_PER_SAMPLE)
                .putShort((short) BYTES_PER_SAMPLE)
                .putShort((short) (BYTES_PER_SAMPLE * 8))
                .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(dataBytes);
        for (double sample : samples) {
            bytes.putShort((short) Math.round(Math.max(-1.0, Math.min(1.0, sample)) * Short.MAX_VALUE));
        }
        try {
            Files.write(file, bytes.array());
        } catch (IOException e) {
            throw new SampleGenerationException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
