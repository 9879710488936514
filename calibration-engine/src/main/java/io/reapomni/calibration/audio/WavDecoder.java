package io.reapomni.calibration.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Decodes RIFF/WAVE files holding integer PCM (8, 16, 24 or 32 bits) or IEEE float (32 bits), plain or
 * WAVE_FORMAT_EXTENSIBLE, with any number of channels, into mono by averaging the channels.
 *
 * <p>Integer samples are scaled by 2^(bits-1) (16-bit: s/32768, as transformers and soundfile do); 8-bit WAV is
 * unsigned around 128. The RIFF chunks are read here rather than through {@code javax.sound.sampled} because that
 * API silently accepts a data chunk cut short and cannot say which part of a file is wrong.
 */
public final class WavDecoder {
    private static final int FORMAT_PCM = 1;
    private static final int FORMAT_IEEE_FLOAT = 3;
    private static final int FORMAT_EXTENSIBLE = 0xFFFE;
    private static final int CHUNK_HEADER_BYTES = 8;

    private WavDecoder() {
    }

    public static MonoAudio decode(Path file) throws AudioDecodingException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new AudioDecodingException(file + ": cannot read the file: " + e, e);
        }
        return decode(bytes, file.toString());
    }

    /** Decodes WAV bytes; {@code name} only labels error messages. */
    public static MonoAudio decode(byte[] bytes, String name) throws AudioDecodingException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 12 || !"RIFF".equals(fourCc(buffer, 0)) || !"WAVE".equals(fourCc(buffer, 8))) {
            throw new AudioDecodingException(name + ": not a RIFF/WAVE file");
        }
        SampleFormat format = null;
        int position = 12;
        while (position + CHUNK_HEADER_BYTES <= bytes.length) {
            String id = fourCc(buffer, position);
            long size = Integer.toUnsignedLong(buffer.getInt(position + 4));
            int body = position + CHUNK_HEADER_BYTES;
            long remaining = bytes.length - (long) body;
            if ("fmt ".equals(id)) {
                if (size > remaining) {
                    throw new AudioDecodingException(name + ": truncated: the fmt chunk declares " + size
                            + " bytes but only " + remaining + " remain");
                }
                format = SampleFormat.read(buffer, body, (int) size, name);
            } else if ("data".equals(id)) {
                if (format == null) {
                    throw new AudioDecodingException(name + ": the data chunk comes before any fmt chunk");
                }
                if (size > remaining) {
                    throw new AudioDecodingException(name + ": truncated: the data chunk declares " + size
                            + " bytes but only " + remaining + " remain");
                }
                return new MonoAudio(format.mixToMono(buffer, body, (int) size, name), format.sampleRate());
            }
            // Chunks are padded to an even length.
            position = Math.toIntExact(Math.min(Integer.MAX_VALUE, body + size + (size & 1)));
        }
        throw new AudioDecodingException(name + (format == null
                ? ": truncated or malformed: no fmt chunk" : ": truncated or malformed: no data chunk"));
    }

    private static String fourCc(ByteBuffer buffer, int offset) {
        byte[] id = new byte[4];
        buffer.get(offset, id);
        return new String(id, StandardCharsets.US_ASCII);
    }

    private record SampleFormat(boolean floatingPoint, int bitsPerSample, int channels, int sampleRate) {
        static SampleFormat read(ByteBuffer buffer, int offset, int size, String name) throws AudioDecodingException {
            if (size < 16) {
                throw new AudioDecodingException(name + ": the fmt chunk has " + size + " bytes, fewer than 16");
            }
            int tag = Short.toUnsignedInt(buffer.getShort(offset));
            int channels = Short.toUnsignedInt(buffer.getShort(offset + 2));
            int sampleRate = buffer.getInt(offset + 4);
            int blockAlign = Short.toUnsignedInt(buffer.getShort(offset + 12));
            int bits = Short.toUnsignedInt(buffer.getShort(offset + 14));
            if (tag == FORMAT_EXTENSIBLE) {
                if (size < 26) {
                    throw new AudioDecodingException(name + ": WAVE_FORMAT_EXTENSIBLE fmt chunk without a sub-format");
                }
                // The sub-format GUID starts with the plain format tag.
                tag = Short.toUnsignedInt(buffer.getShort(offset + 24));
            }
            boolean floating = tag == FORMAT_IEEE_FLOAT;
            if (tag != FORMAT_PCM && !floating) {
                throw new AudioDecodingException(name + ": unsupported encoding: WAVE format tag 0x"
                        + Integer.toHexString(tag) + " (only integer PCM and IEEE float are read)");
            }
            boolean supportedBits = floating ? bits == 32 : bits == 8 || bits == 16 || bits == 24 || bits == 32;
            if (!supportedBits) {
                throw new AudioDecodingException(name + ": unsupported encoding: " + bits + "-bit "
                        + (floating ? "float" : "integer PCM"));
            }
            if (channels == 0 || sampleRate <= 0) {
                throw new AudioDecodingException(name + ": the fmt chunk declares " + channels + " channels at "
                        + sampleRate + " Hz");
            }
            if (blockAlign != channels * bits / 8) {
                throw new AudioDecodingException(name + ": unsupported layout: block align " + blockAlign
                        + " for " + channels + " channels of " + bits + " bits");
            }
            return new SampleFormat(floating, bits, channels, sampleRate);
        }

        int frameBytes() {
            return channels * bitsPerSample / 8;
        }

        double[] mixToMono(ByteBuffer buffer, int offset, int size, String name) throws AudioDecodingException {
            if (size % frameBytes() != 0) {
                throw new AudioDecodingException(name + ": truncated: the data chunk's " + size
                        + " bytes are not a whole number of " + frameBytes() + "-byte frames");
            }
            int frames = size / frameBytes();
            int sampleBytes = bitsPerSample / 8;
            double[] mono = new double[frames];
            for (int frame = 0; frame < frames; frame++) {
                double sum = 0;
                int frameStart = offset + frame * frameBytes();
                for (int channel = 0; channel < channels; channel++) {
                    sum += sample(buffer, frameStart + channel * sampleBytes);
                }
                mono[frame] = sum / channels;
            }
            return mono;
        }

        private double sample(ByteBuffer buffer, int at) {
            if (floatingPoint) {
                return buffer.getFloat(at);
            }
            switch (bitsPerSample) {
                case 8:
                    return (Byte.toUnsignedInt(buffer.get(at)) - 128) / 128.0;
                case 16:
                    return buffer.getShort(at) / 32768.0;
                case 24:
                    int value = Byte.toUnsignedInt(buffer.get(at))
                            | Byte.toUnsignedInt(buffer.get(at + 1)) << 8
                            | buffer.get(at + 2) << 16;
                    return value / 8388608.0;
                default:
                    return buffer.getInt(at) / 2147483648.0;
            }
        }
    }
}
