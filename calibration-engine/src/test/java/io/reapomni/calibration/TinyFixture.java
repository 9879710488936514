package io.reapomni.calibration;

import io.reapomni.calibration.audio.AudioFeatures;
import io.reapomni.calibration.vision.VideoPatches;
import io.reapomni.calibration.vision.VisionGrid;
import io.reapomni.calibration.weights.CheckpointWeightSource;
import io.reapomni.calibration.weights.FloatTensor;
import io.reapomni.calibration.weights.StoredTensor;
import io.reapomni.common.checkpoint.ModelConfig;
import io.reapomni.common.job.Modality;
import io.reapomni.common.safetensors.DType;
import io.reapomni.common.storage.LocalObjectStore;
import io.reapomni.common.storage.ObjectStore;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The shared tiny Qwen3-Omni checkpoint ({@code reap.fixtures}/tiny-qwen3-omni) and its transformers reference
 * tensors, read through the same {@link CheckpointWeightSource} as the model's weights.
 */
public final class TinyFixture {
    public final Path root;
    public final ModelConfig config;
    public final CheckpointWeightSource weights;
    public final CheckpointWeightSource reference;

    private TinyFixture(Path root) throws IOException {
        this.root = root;
        this.config = ModelConfig.parse(Files.readAllBytes(modelDir(root).resolve("config.json")));
        this.weights = CheckpointWeightSource.open(new LocalObjectStore(modelDir(root)));
        this.reference = CheckpointWeightSource.ofFile(new LocalObjectStore(root), "reference.safetensors");
    }

    public static TinyFixture load() throws IOException {
        return new TinyFixture(root());
    }

    public static Path root() {
        String fixtures = System.getProperty("reap.fixtures");
        if (fixtures == null || fixtures.isBlank()) {
            throw new IllegalStateException("system property reap.fixtures is not set");
        }
        return Path.of(fixtures, "tiny-qwen3-omni");
    }

    public static Path modelDir() {
        return modelDir(root());
    }

    public static ObjectStore modelStore() {
        return new LocalObjectStore(modelDir());
    }

    public static Path audioWav() {
        return root().resolve("audio.wav");
    }

    private static Path modelDir(Path root) {
        return root.resolve("model");
    }

    /**
     * Writes one JSONL file per data set into {@code dir}. Audio: the fixture's audio input pre-tokenised with
     * audio.wav (31 tokens), a plain text line, and a line with an empty text. Mixed: the fixture's text input
     * pre-tokenised (24 tokens). Video: one seed-format line.
     */
    public Map<Modality, Path> writeDataSets(Path dir) throws IOException {
        Files.copy(audioWav(), dir.resolve("speech.wav"), StandardCopyOption.REPLACE_EXISTING);
        Path audio = Files.write(dir.resolve("audio.jsonl"), List.of(
                "{\"id\": \"fixture-audio\", \"modality\": \"audio\", \"audio\": \"speech.wav\", \"input_ids\": "
                        + Arrays.toString(tokenIds("audio")) + "}",
                "{\"id\": \"greeting\", \"text\": \"Say hello to the model.\", \"modality\": \"audio\"}",
                "{\"id\": \"empty\", \"text\": \"\", \"modality\": \"audio\"}"));
        Path mixed = Files.write(dir.resolve("mixed.jsonl"), List.of(
                "{\"id\": \"fixture-text\", \"modality\": \"mixed\", \"input_ids\": "
                        + Arrays.toString(tokenIds("text")) + "}"));
        Path video = Files.write(dir.resolve("video.jsonl"), List.of(
                "{\"id\": \"clip\", \"text\": \"What happens?\", \"modality\": \"video\"}"));
        return Map.of(Modality.AUDIO, audio, Modality.MIXED, mixed, Modality.VIDEO, video);
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
        StoredTensor stored = reference.readRaw(name);
        ByteBuffer bytes = stored.bytes().order(ByteOrder.LITTLE_ENDIAN);
        double[] values = new double[Math.toIntExact(stored.info().elementCount())];
        for (int i = 0; i < values.length; i++) {
            values[i] = stored.info().dtype() == DType.F64 ? bytes.getDouble() : bytes.getLong();
        }
        return values;
    }

    /** {@code prefix.input_ids}, stored as I64. */
    public int[] tokenIds(String prefix) throws IOException {
        StoredTensor stored = reference.readRaw(prefix + ".input_ids");
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
