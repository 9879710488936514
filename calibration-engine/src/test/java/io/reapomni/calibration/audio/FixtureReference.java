package io.reapomni.calibration.audio;

import io.reapomni.common.safetensors.DType;
import io.reapomni.common.safetensors.SafetensorsHeader;
import io.reapomni.common.safetensors.SafetensorsHeaderReader;
import io.reapomni.common.safetensors.TensorInfo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The shared tiny-qwen3-omni fixture and its float32 reference tensors. */
public final class FixtureReference {
    private FixtureReference() {
    }

    public static Path fixtureDir() {
        return Path.of(System.getProperty("reap.fixtures", "../../shared/fixtures"), "tiny-qwen3-omni");
    }

    public static Path modelDir() {
        return fixtureDir().resolve("model");
    }

    /** A float32 reference tensor, flattened row-major; its shape must be {@code expectedShape}. */
    public static float[] float32(String name, long... expectedShape) throws IOException {
        ByteBuffer bytes = tensorBytes(name, DType.F32, expectedShape);
        float[] values = new float[bytes.remaining() / Float.BYTES];
        bytes.asFloatBuffer().get(values);
        return values;
    }

    /** An int64 reference tensor, flattened row-major; its shape must be {@code expectedShape}. */
    public static long[] int64(String name, long... expectedShape) throws IOException {
        ByteBuffer bytes = tensorBytes(name, DType.I64, expectedShape);
        long[] values = new long[bytes.remaining() / Long.BYTES];
        bytes.asLongBuffer().get(values);
        return values;
    }

    private static ByteBuffer tensorBytes(String name, DType dtype, long... expectedShape) throws IOException {
        Path file = fixtureDir().resolve("reference.safetensors");
        SafetensorsHeader header = SafetensorsHeaderReader.read(file);
        TensorInfo tensor = header.tensors().stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IOException(file + " has no tensor " + name));
        if (tensor.dtype() != dtype || !tensor.shape().equals(java.util.Arrays.stream(expectedShape).boxed().toList())) {
            throw new IOException(name + " is " + tensor.dtype() + " " + tensor.shape());
        }
        ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(tensor.byteLength())).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long position = header.dataStart() + tensor.begin();
            while (bytes.hasRemaining()) {
                if (channel.read(bytes, position + bytes.position()) < 0) {
                    throw new IOException(file + " ends inside " + name);
                }
            }
        }
        return bytes.flip();
    }
}
