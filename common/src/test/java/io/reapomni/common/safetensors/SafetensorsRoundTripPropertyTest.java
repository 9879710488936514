package io.reapomni.common.safetensors;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SafetensorsRoundTripPropertyTest {

    @Property(tries = 300)
    void randomTensorListsRoundTripExactly(@ForAll("tensorLists") List<TensorSpec> specs,
                                           @ForAll("metadata") Map<String, String> metadata,
                                           @ForAll long dataSeed) throws IOException {
        EncodedHeader encoded = SafetensorsHeaderWriter.encode(metadata, specs);
        Random random = new Random(dataSeed);
        List<byte[]> contents = new ArrayList<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (SafetensorsFileWriter writer = SafetensorsFileWriter.start(out, encoded)) {
            for (TensorSpec spec : specs) {
                byte[] content = new byte[(int) spec.byteLength()];
                random.nextBytes(content);
                contents.add(content);
                // Both entry points, so that either one's length handling is exercised on every shape.
                if (random.nextBoolean()) {
                    writer.write(spec.name(), ByteBuffer.wrap(content));
                } else {
                    writer.write(spec.name(), new ByteArrayInputStream(content));
                }
            }
        }
        byte[] file = out.toByteArray();

        SafetensorsHeader header = RawFiles.read(file);

        assertThat(header.dataStart() % 8).isZero();
        assertThat(header.metadata()).isEqualTo(metadata);
        assertThat(header.tensors()).hasSameSizeAs(specs);
        long expectedBegin = 0;
        for (int i = 0; i < specs.size(); i++) {
            TensorSpec spec = specs.get(i);
            TensorInfo read = header.tensors().get(i);
            assertThat(read.name()).isEqualTo(spec.name());
            assertThat(read.dtype()).isEqualTo(spec.dtype());
            assertThat(read.shape()).isEqualTo(spec.shape());
            assertThat(read.begin()).isEqualTo(expectedBegin);
            assertThat(read.byteLength()).isEqualTo(contents.get(i).length);
            int from = (int) (header.dataStart() + read.begin());
            assertThat(Arrays.copyOfRange(file, from, from + (int) read.byteLength())).isEqualTo(contents.get(i));
            expectedBegin = read.end();
        }
        assertThat(header.tensors()).isEqualTo(encoded.tensors());
        assertThat(header.fileLength()).isEqualTo(file.length);
    }

    @Provide
    Arbitrary<List<TensorSpec>> tensorLists() {
        Arbitrary<List<Long>> shapes = Arbitraries.longs().between(0, 5).list().ofMaxSize(4);
        Arbitrary<TensorSpec> tensors = Combinators.combine(names(), Arbitraries.of(DType.class), shapes)
                .as(TensorSpec::new);
        return tensors.list().ofMaxSize(12).uniqueElements(TensorSpec::name);
    }

    @Provide
    Arbitrary<Map<String, String>> metadata() {
        return Arbitraries.maps(names(), names()).ofMaxSize(3);
    }

    // Printable ASCII with JSON's escapes, Latin-1 and CJK letters; never lone surrogates, which no UTF-8 file holds.
    private static Arbitrary<String> names() {
        return Arbitraries.strings()
                .withCharRange(' ', '~')
                .withCharRange('\u00a0', '\u00ff')
                .withCharRange('\u4e00', '\u4e20')
                .withChars('\n', '\t', '\u0000')
                .ofMaxLength(12)
                .filter(name -> !name.equals(HeaderJsonParser.METADATA_KEY));
    }
}
