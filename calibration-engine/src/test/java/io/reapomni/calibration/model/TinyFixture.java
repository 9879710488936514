package io.reapomni.calibration.model;

import io.reapomni.calibration.weights.CheckpointWeightSource;
import io.reapomni.calibration.weights.StoredTensor;
import io.reapomni.common.checkpoint.ModelConfig;
import io.reapomni.common.safetensors.DType;
import io.reapomni.common.storage.LocalObjectStore;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** The tiny Qwen3-Omni checkpoint and its transformers reference activations. */
final class TinyFixture {
    final Path root;
    final ModelConfig config;
    final CheckpointWeightSource weights;
    final CheckpointWeightSource reference;

    private TinyFixture(Path root) throws IOException {
        this.root = root;
        this.config = ModelConfig.parse(Files.readAllBytes(root.resolve("model/config.json")));
        this.weights = CheckpointWeightSource.open(new LocalObjectStore(root.resolve("model")));
        this.reference = CheckpointWeightSource.ofFile(new LocalObjectStore(root), "reference.safetensors");
    }

    static TinyFixture load() throws IOException {
        String fixtures = System.getProperty("reap.fixtures");
        if (fixtures == null || fixtures.isBlank()) {
            throw new IllegalStateException("system property reap.fixtures is not set");
        }
        return new TinyFixture(Path.of(fixtures, "tiny-qwen3-omni"));
    }

    float[] floats(String name) throws IOException {
        return reference.load(name).values();
    }

    long[] shape(String name) throws IOException {
        return reference.load(name).shape();
    }

    /** F64 and I64 reference tensors, read at full width. */
    double[] doubles(String name) throws IOException {
        StoredTensor stored = reference.readRaw(name);
        ByteBuffer bytes = stored.bytes().order(ByteOrder.LITTLE_ENDIAN);
        double[] values = new double[Math.toIntExact(stored.info().elementCount())];
        for (int i = 0; i < values.length; i++) {
            values[i] = stored.info().dtype() == DType.F64 ? bytes.getDouble() : bytes.getLong();
        }
        return values;
    }

    int[] tokenIds(String prefix) throws IOException {
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

    AudioFeatures audioFeatures() throws IOException {
        long[] shape = shape("audio.input_features");
        return new AudioFeatures(floats("audio.input_features"), Math.toIntExact(shape[0]), Math.toIntExact(shape[1]));
    }

    static float maxAbsDiff(float[] actual, float[] expected) {
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
