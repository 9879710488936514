package io.reapomni.common.safetensors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Encode, write to a file, read back: every dtype, scalars, empty tensors, data that is not all zeros. */
class SafetensorsRoundTripTest {

    @TempDir
    Path folder;

    @Test
    void aWrittenFileReadsBackAsEncoded() throws IOException {
        List<TensorSpec> specs = new ArrayList<>();
        for (DType dtype : DType.values()) {
            specs.add(new TensorSpec("layers." + dtype.ordinal() + "." + dtype, dtype, List.of(2L, 3L)));
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
                byte[] content = patterned(spec.byteLength(), contents.size());
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

    private static byte[] patterned(long length, int seed) {
        byte[] content = new byte[(int) length];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (seed * 17 + i);
        }
        return content;
    }
}
