package io.reapomni.calibration;

import io.reapomni.calibration.audio.AudioFeatures;
import io.reapomni.calibration.vision.VideoPatches;
import io.reapomni.calibration.vision.VisionGrid;
import io.reapomni.calibration.weights.CheckpointWeightSource;
import io.reapomni.calibration.weights.FloatTensor;
import io.reapomni.calibration.weights.StoredTensor;
import io.reapomni.calibration.weights.WeightStager;
import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.checkpoint.ModelConfig;
import io.reapomni.common.job.Modality;
import io.reapomni.common.safetensors.DType;
import io.reapomni.common.storage.LocalObjectStore;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.testfixtures.TinyQwen3Omni;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The shared tiny Qwen3-Omni checkpoint ({@link TinyQwen3Omni}) and its transformers reference
 * tensors, read through the same {@link CheckpointWeightSource} as the model's weights.
 */
public final class TinyFixture {
    public final ModelConfig config;
    public final CheckpointWeightSource weights;
    /** Stages the model's weights for the engine; shared by the tests of one fixture, its threads are daemons. */
    public final WeightStager stager;
    public final CheckpointWeightSource reference;
    /** {@code reference-mrope.safetensors}: audio, video and mixed computed with transformers' 3-D positions. */
    public final CheckpointWeightSource mropeReference;

    private TinyFixture(Path root) throws IOException {
        LocalObjectStore model = new LocalObjectStore(TinyQwen3Omni.model());
        Checkpoint checkpoint = Checkpoint.open(model);
        this.config = checkpoint.config();
        this.weights = CheckpointWeightSource.of(model, checkpoint);
        this.stager = new WeightStager(weights, 2);
        this.reference = CheckpointWeightSource.ofFile(new LocalObjectStore(root), "reference.safetensors");
        this.mropeReference = CheckpointWeightSource.ofFile(new LocalObjectStore(root), "reference-mrope.safetensors");
    }

    public static TinyFixture load() throws IOException {
        return new TinyFixture(TinyQwen3Omni.folder());
    }

    public static ObjectStore modelStore() {
        return new LocalObjectStore(TinyQwen3Omni.model());
    }

    public static Path audioWav() {
        return TinyQwen3Omni.file("audio.wav");
    }

    /**
     * Token ids of the test clip that {@link #writeDataSets} writes: 2 s of a 64x64 pattern, sampled at 1 frame a
     * second into one group of two frames, which smart_resize scales up to the minimum of 128 × 32² pixels: 384x384,
     * so 24 × 24 patches and {@value #CLIP_TOKENS} tokens after the 2 × 2 merge.
     */
    public static final int CLIP_TOKENS = 144;
    /** Tokens of audio.wav (the fixture's audio input has 18 pads). */
    public static final int SPEECH_TOKENS = 18;
    public static final int VIDEO_LINE_TOKENS = 5 + CLIP_TOKENS + 2 + 6;
    public static final int MIXED_LINE_TOKENS = 5 + CLIP_TOKENS + 2 + SPEECH_TOKENS + 2 + 6;

    /**
     * Writes one JSONL file per data set into {@code dir}; needs ffmpeg. Audio: the fixture's audio input
     * pre-tokenised with audio.wav (31 tokens), a plain text line, and a line with an empty text. Video: the fixture's
     * text ids around a video block for the test clip ({@value #VIDEO_LINE_TOKENS} tokens), a text line with the
     * clip, and a line whose video file is missing. Mixed: the same text ids around the video block and the audio
     * block ({@value #MIXED_LINE_TOKENS} tokens).
     */
    public Map<Modality, Path> writeDataSets(Path dir) throws IOException, InterruptedException {
        Files.copy(audioWav(), dir.resolve("speech.wav"), StandardCopyOption.REPLACE_EXISTING);
        TestVideos.testPattern(dir.resolve("clip.mp4"), 64, 64, 2);
        Path audio = Files.write(dir.resolve("audio.jsonl"), List.of(
                "{\"id\": \"fixture-audio\", \"modality\": \"audio\", \"audio\": \"speech.wav\", \"input_ids\": "
                        + Arrays.toString(tokenIds("audio")) + "}",
                "{\"id\": \"greeting\", \"text\": \"Say hello to the model.\", \"modality\": \"audio\"}",
                "{\"id\": \"empty\", \"text\": \"\", \"modality\": \"audio\"}"));
        int[] text = tokenIds("text");
        int[] videoBlock = block(1018, 1019, CLIP_TOKENS, 1017);
        int[] audioBlock = block(1022, 1023, SPEECH_TOKENS, 1021);
        Path video = Files.write(dir.resolve("video.jsonl"), List.of(
                "{\"id\": \"clip-ids\", \"modality\": \"video\", \"video\": \"clip.mp4\", \"input_ids\": "
                        + Arrays.toString(around(text, videoBlock)) + "}",
                "{\"id\": \"clip-text\", \"text\": \"What happens?\", \"modality\": \"video\", "
                        + "\"video\": \"clip.mp4\"}",
                "{\"id\": \"lost\", \"text\": \"What happens?\", \"modality\": \"video\", "
                        + "\"video\": \"lost.mp4\"}"));
        Path mixed = Files.write(dir.resolve("mixed.jsonl"), List.of(
                "{\"id\": \"scene\", \"modality\": \"mixed\", \"video\": \"clip.mp4\", \"audio\": \"speech.wav\", "
                        + "\"input_ids\": " + Arrays.toString(around(text, videoBlock, audioBlock)) + "}"));
        return Map.of(Modality.AUDIO, audio, Modality.MIXED, mixed, Modality.VIDEO, video);
    }

    private static int[] block(int start, int pad, int count, int end) {
        int[] ids = new int[count + 2];
        Arrays.fill(ids, pad);
        ids[0] = start;
        ids[count + 1] = end;
        return ids;
    }

    /** The first 5 and last 6 of {@code text} around the blocks, as the fixture's media inputs are laid out. */
    private static int[] around(int[] text, int[]... blocks) {
        IntStream.Builder ids = IntStream.builder();
        IntStream.range(0, 5).forEach(i -> ids.add(text[i]));
        for (int[] block : blocks) {
            IntStream.of(block).forEach(ids);
        }
        IntStream.range(text.length - 6, text.length).forEach(i -> ids.add(text[i]));
        return ids.build().toArray();
    }

    public float[] floats(String name) throws IOException {
        return reference.load(name).values();
    }

    /** A float reference tensor whose shape must be {@code expectedShape}. */
    public float[] floats(String name, long... expectedShape) throws IOException {
        FloatTensor tensor = reference.load(name);
        if (!Arrays.equals(tensor.shape(), expectedShape)) {
            throw new IOException(name + " has shape " + Arrays.toString(tensor.shape()) + ", not "
                    + Arrays.toString(expectedShape));
        }
        return tensor.values();
    }

    public long[] shape(String name) throws IOException {
        return reference.load(name).shape();
    }

    /** F64 and I64 reference tensors, read at full width. */
    public double[] doubles(String name) throws IOException {
        return doubles(reference, name);
    }

    /** F64 and I64 tensors of {@code file}, read at full width. */
    public static double[] doubles(CheckpointWeightSource file, String name) throws IOException {
        StoredTensor stored = file.readRaw(name);
        ByteBuffer bytes = stored.bytes().order(ByteOrder.LITTLE_ENDIAN);
        double[] values = new double[Math.toIntExact(stored.info().elementCount())];
        for (int i = 0; i < values.length; i++) {
            values[i] = stored.info().dtype() == DType.F64 ? bytes.getDouble() : bytes.getLong();
        }
        return values;
    }

    /** {@code prefix.input_ids}, stored as I64. */
    public int[] tokenIds(String prefix) throws IOException {
        return tokenIds(reference, prefix);
    }

    /** {@code prefix.input_ids} of {@code file}, stored as I64. */
    public static int[] tokenIds(CheckpointWeightSource file, String prefix) throws IOException {
        StoredTensor stored = file.readRaw(prefix + ".input_ids");
        if (stored.info().dtype() != DType.I64) {
            throw new IOException(prefix + ".input_ids is " + stored.info().dtype() + ", expected I64");
        }
        ByteBuffer bytes = stored.bytes().order(ByteOrder.LITTLE_ENDIAN);
        int[] ids = new int[Math.toIntExact(stored.info().elementCount())];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = Math.toIntExact(bytes.getLong());
        }
        return ids;
    }

    /** transformers' log-mel features of audio.wav, [128, 137]. */
    public AudioFeatures audioFeatures() throws IOException {
        long[] shape = shape("audio.input_features");
        return new AudioFeatures(Math.toIntExact(shape[0]), Math.toIntExact(shape[1]), floats("audio.input_features"));
    }

    /**
     * The fixture's video input: {@code video.pixel_values} on the grid {@code video.grid_thw}, covering
     * {@code secondsPerGrid} seconds per frame group.
     */
    public VideoPatches videoPatches(float secondsPerGrid) throws IOException {
        double[] grid = doubles("video.grid_thw");
        long[] shape = shape("video.pixel_values");
        return new VideoPatches(new VisionGrid((int) grid[0], (int) grid[1], (int) grid[2]), Math.toIntExact(shape[1]),
                floats("video.pixel_values"), secondsPerGrid);
    }

    public static float maxAbsDiff(float[] actual, float[] expected) {
        if (actual.length != expected.length) {
            throw new AssertionError("length " + actual.length + " != " + expected.length);
        }
        float max = 0;
        for (int i = 0; i < actual.length; i++) {
            max = Math.max(max, Math.abs(actual[i] - expected[i]));
        }
        return max;
    }
}
