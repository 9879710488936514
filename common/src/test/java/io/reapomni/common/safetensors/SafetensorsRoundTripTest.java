package io.reapomni.common.safetensors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Encode, write, read back; and byte-for-byte agreement with the Rust safetensors library's own output. */
class SafetensorsRoundTripTest {

    /**
     * The file that safetensors 0.8.0's {@code safetensors.torch.save} wrote (on the GPU machine) for tensors
     * a.weight F32 [3,2], b.bias F32 [5], c BF16 [2,3], d I8 [7] holding the bytes 0,1,2.. / 40,41,.. / 80,.. /
     * 120,.. and metadata format=pt. That library orders tensors by dtype size, then name: the order used here.
     */
    private static final String REFERENCE_LIBRARY_FILE =
            "EAEAAAAAAAB7Il9fbWV0YWRhdGFfXyI6eyJmb3JtYXQiOiJwdCJ9LCJhLndlaWdodCI6eyJkdHlwZSI6IkYzMiIsInNoYXBlIjpb"
            + "MywyXSwiZGF0YV9vZmZzZXRzIjpbMCwyNF19LCJiLmJpYXMiOnsiZHR5cGUiOiJGMzIiLCJzaGFwZSI6WzVdLCJkYXRhX29mZnNl"
            + "dHMiOlsyNCw0NF19LCJjIjp7ImR0eXBlIjoiQkYxNiIsInNoYXBlIjpbMiwzXSwiZGF0YV9vZmZzZXRzIjpbNDQsNTZdfSwiZCI6"
            + "eyJkdHlwZSI6Ikk4Iiwic2hhcGUiOls3XSwiZGF0YV9vZmZzZXRzIjpbNTYsNjNdfX0gICAgIAABAgMEBQYHCAkKCwwNDg8QERIT"
            + "FBUWFygpKissLS4vMDEyMzQ1Njc4OTo7UFFSU1RVVldYWVpbeHl6e3x9fg==";

    @TempDir
    Path folder;

    @Test
    void aWrittenFileReadsBackAsEncoded() throws IOException {
        List<TensorSpec> specs = new ArrayList<>();
        for (DType dtype : DType.values()) {
            specs.add(new TensorSpec("dtypes." + dtype.ordinal() + "." + dtype, dtype, List.of(2L, 3L)));
        }
        specs.add(new TensorSpec("scalar", DType.F32, List.of()));
        specs.add(new TensorSpec("empty", DType.BF16, List.of(0L, 4096L)));
        specs.add(new TensorSpec("after.empty", DType.I64, List.of(1L)));
        EncodedHeader encoded = SafetensorsHeaderWriter.encode(Map.of("format", "pt"), specs);
        Path file = folder.resolve("model.safetensors");

        List<byte[]> contents = new ArrayList<>();
        try (OutputStream out = Files.newOutputStream(file);
             SafetensorsFileWriter writer = SafetensorsFileWriter.start(out, encoded)) {
            for (TensorSpec spec : specs) {
                byte[] content = patterned(spec.byteLength(), 17 * contents.size());
                contents.add(content);
                writer.write(spec.name(), ByteBuffer.wrap(content));
            }
        }
        SafetensorsHeader header = SafetensorsHeaderReader.read(file);

        assertThat(header.metadata()).isEqualTo(Map.of("format", "pt"));
        assertThat(header.tensors()).extracting(TensorInfo::name)
                .containsExactlyElementsOf(specs.stream().map(TensorSpec::name).toList());
        assertThat(header.tensors()).extracting(TensorInfo::dtype)
                .containsExactlyElementsOf(specs.stream().map(TensorSpec::dtype).toList());
        assertThat(header.tensors()).extracting(TensorInfo::shape)
                .containsExactlyElementsOf(specs.stream().map(TensorSpec::shape).toList());
        assertThat(header.tensors()).isEqualTo(encoded.tensors());
        assertThat(header.dataStart()).isEqualTo(encoded.dataStart()).isEqualTo(Files.size(file) - 306);

        byte[] bytes = Files.readAllBytes(file);
        for (int i = 0; i < specs.size(); i++) {
            TensorInfo tensor = header.tensors().get(i);
            int from = (int) (header.dataStart() + tensor.begin());
            assertThat(Arrays.copyOfRange(bytes, from, (int) (header.dataStart() + tensor.end())))
                    .as(tensor.name())
                    .isEqualTo(contents.get(i));
        }
    }

    @Test
    void writesTheSameBytesAsTheReferenceLibrary() throws IOException {
        List<TensorSpec> specs = List.of(
                new TensorSpec("a.weight", DType.F32, List.of(3L, 2L)),
                new TensorSpec("b.bias", DType.F32, List.of(5L)),
                new TensorSpec("c", DType.BF16, List.of(2L, 3L)),
                new TensorSpec("d", DType.I8, List.of(7L)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        try (SafetensorsFileWriter writer = SafetensorsFileWriter.start(out,
                SafetensorsHeaderWriter.encode(Map.of("format", "pt"), specs))) {
            for (int i = 0; i < specs.size(); i++) {
                writer.write(specs.get(i).name(), ByteBuffer.wrap(patterned(specs.get(i).byteLength(), 40 * i)));
            }
        }

        assertThat(out.toByteArray()).isEqualTo(Base64.getDecoder().decode(REFERENCE_LIBRARY_FILE));
    }

    private static byte[] patterned(long length, int first) {
        byte[] content = new byte[(int) length];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (first + i);
        }
        return content;
    }
}
