package io.reapomni.calibration.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Decodes RIFF/WAVE files holding integer PCM (8, 16, 24 or 32 bits) or IEEE float (32 bits), plain or
 * WAVE_FORMAT_EXTENSIBLE, with any number of channels, into mono by averaging the channels.
 *
 * <p>Integer samples are scaled by 2^(bits-1) (16-bit: s/32768, as transformers and soundfile do); 8-bit WAV is
 * unsigned around 128. The RIFF chunks are read here rather than through {@code javax.sound.sampled} because that
 * API silently accepts a data chunk cut short and cannot say which part of a file is wrong.
 *
 * <p>{@link #open} reads only the chunk headers and the format, so that a caller learns a file's duration before a
 * single sample is read; the samples then stream through {@link WavFile#mono()} block by block, and no file is
 * ever read whole.
 */
public final class WavDecoder {
    private static final int FORMAT_PCM = 1;
    private static final int FORMAT_IEEE_FLOAT = 3;
    private static final int FORMAT_EXTENSIBLE = 0xFFFE;
    private static final int CHUNK_HEADER_BYTES = 8;
    /** A fmt chunk is 16 to 40 bytes; anything near this is not a format. */
    private static final int MAX_FMT_BYTES = 4096;
    private static final int BLOCK_FRAMES = 8192;

    private WavDecoder() {
    }

    /** The whole file, mixed to mono at its own rate: for files known to be short. */
    public static MonoAudio decode(Path file) throws AudioDecodingException {
        try (WavFile wav = open(file)) {
            double[] samples = new double[Math.toIntExact(wav.frames())];
            SampleStream mono = wav.mono();
            for (int filled = 0; filled < samples.length; ) {
                int read = mono.read(samples, filled, samples.length - filled);
                if (read < 0) {
                    throw new AudioDecodingException(file + ": the samples ended before the data chunk did");
                }
                filled += read;
            }
            return new MonoAudio(samples, wav.sampleRate());
        }
    }

    /**
     * Opens {@code file} and reads its format and where its samples are; nothing of the samples is read yet.
     *
     * @throws AudioDecodingException when the file cannot be read or is not a WAV file this decoder reads
     */
    public static WavFile open(Path file) throws AudioDecodingException {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new AudioDecodingException(file + ": cannot read the file: " + e, e);
        }
        try {
            return locateData(channel, file.toString());
        } catch (AudioDecodingException | RuntimeException e) {
            closeQuietly(channel);
            throw e;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new AudioDecodingException(file + ": cannot read the file: " + e, e);
        }
    }

    private static WavFile locateData(FileChannel channel, String name) throws IOException, AudioDecodingException {
        long length = channel.size();
        ByteBuffer riff = read(channel, 0, (int) Math.min(12, length));
        if (length < 12 || !"RIFF".equals(fourCc(riff, 0)) || !"WAVE".equals(fourCc(riff, 8))) {
            throw new AudioDecodingException(name + ": not a RIFF/WAVE file");
        }
        SampleFormat format = null;
        long position = 12;
        while (position + CHUNK_HEADER_BYTES <= length) {
            ByteBuffer header = read(channel, position, CHUNK_HEADER_BYTES);
            String id = fourCc(header, 0);
            long size = Integer.toUnsignedLong(header.getInt(4));
            long body = position + CHUNK_HEADER_BYTES;
            long remaining = length - body;
            if ("fmt ".equals(id)) {
                if (size > remaining) {
                    throw new AudioDecodingException(name + ": truncated: the fmt chunk declares " + size
                            + " bytes but only " + remaining + " remain");
                }
                if (size > MAX_FMT_BYTES) {
                    throw new AudioDecodingException(name + ": the fmt chunk declares " + size + " bytes, more"
                            + " than any format needs");
                }
                format = SampleFormat.read(read(channel, body, (int) size), (int) size, name);
            } else if ("data".equals(id)) {
                if (format == null) {
                    throw new AudioDecodingException(name + ": the data chunk comes before any fmt chunk");
                }
                if (size > remaining) {
                    throw new AudioDecodingException(name + ": truncated: the data chunk declares " + size
                            + " bytes but only " + remaining + " remain");
                }
                if (size % format.frameBytes() != 0) {
                    throw new AudioDecodingException(name + ": truncated: the data chunk's " + size
                            + " bytes are not a whole number of " + format.frameBytes() + "-byte frames");
                }
                return new WavFile(channel, name, format, body, size / format.frameBytes());
            }
            // Chunks are padded to an even length.
            position = body + size + (size & 1);
        }
        throw new AudioDecodingException(name + (format == null
                ? ": truncated or malformed: no fmt chunk" : ": truncated or malformed: no data chunk"));
    }

    private static ByteBuffer read(FileChannel channel, long position, int bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("the file ended at byte " + (position + buffer.position()));
            }
        }
        return buffer.flip();
    }

    private static String fourCc(ByteBuffer buffer, int offset) {
        byte[] id = new byte[4];
        buffer.get(offset, id);
        return new String(id, StandardCharsets.US_ASCII);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing was read that closing could lose; the first failure is the one reported.
        }
    }

    /** An open WAV file whose format is known and whose samples are still to be read. */
    public static final class WavFile implements AutoCloseable {
        private final FileChannel channel;
        private final String name;
        private final SampleFormat format;
        private final long dataOffset;
        private final long frames;

        private WavFile(FileChannel channel, String name, SampleFormat format, long dataOffset, long frames) {
            this.channel = channel;
            this.name = name;
            this.format = format;
            this.dataOffset = dataOffset;
            this.frames = frames;
        }

        public int sampleRate() {
            return format.sampleRate();
        }

        /** Samples per channel. */
        public long frames() {
            return frames;
        }

        public double seconds() {
            return (double) frames / format.sampleRate();
        }

        /** The samples from the first, each the mean of its channels, read a block of frames at a time. */
        public SampleStream mono() {
            return new SampleStream() {
                private long next;
                private final ByteBuffer block = ByteBuffer.allocate(BLOCK_FRAMES * format.frameBytes())
                        .order(ByteOrder.LITTLE_ENDIAN);

                @Override
                public int read(double[] into, int offset, int count) throws AudioDecodingException {
                    int frameCount = (int) Math.min(Math.min(count, BLOCK_FRAMES), frames - next);
                    if (frameCount <= 0) {
                        return count == 0 ? 0 : -1;
                    }
                    block.clear().limit(frameCount * format.frameBytes());
                    try {
                        while (block.hasRemaining()) {
                            if (channel.read(block, dataOffset + next * format.frameBytes() + block.position()) < 0) {
                                throw new AudioDecodingException(name + ": the file ended inside its data chunk");
                            }
                        }
                    } catch (IOException e) {
                        throw new AudioDecodingException(name + ": cannot read the samples: " + e, e);
                    }
                    format.mixToMono(block, frameCount, into, offset);
                    next += frameCount;
                    return frameCount;
                }
            };
        }

        @Override
        public void close() {
            closeQuietly(channel);
        }
    }

    private record SampleFormat(boolean floatingPoint, int bitsPerSample, int channels, int sampleRate) {
        static SampleFormat read(ByteBuffer buffer, int size, String name) throws AudioDecodingException {
            if (size < 16) {
                throw new AudioDecodingException(name + ": the fmt chunk has " + size + " bytes, fewer than 16");
            }
            int tag = Short.toUnsignedInt(buffer.getShort(0));
            int channels = Short.toUnsignedInt(buffer.getShort(2));
            int sampleRate = buffer.getInt(4);
            int blockAlign = Short.toUnsignedInt(buffer.getShort(12));
            int bits = Short.toUnsignedInt(buffer.getShort(14));
            if (tag == FORMAT_EXTENSIBLE) {
                if (size < 26) {
                    throw new AudioDecodingException(name + ": WAVE_FORMAT_EXTENSIBLE fmt chunk without a sub-format");
                }
                // The sub-format GUID starts with the plain format tag.
                tag = Short.toUnsignedInt(buffer.getShort(24));
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

        /** The {@code frames} frames at the start of {@code block} into {@code into} from {@code offset}. */
        void mixToMono(ByteBuffer block, int frames, double[] into, int offset) {
            int sampleBytes = bitsPerSample / 8;
            for (int frame = 0; frame < frames; frame++) {
                double sum = 0;
                int frameStart = frame * frameBytes();
                for (int channel = 0; channel < channels; channel++) {
                    sum += sample(block, frameStart + channel * sampleBytes);
                }
                into[offset + frame] = sum / channels;
            }
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
