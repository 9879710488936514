package io.reapomni.common.safetensors;

import io.reapomni.common.testing.Seeds;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Random tensor lists and metadata (seeded: {@code -Dreap.test.seed=N} replays one case) round-trip exactly. */
class SafetensorsRoundTripPropertyTest {

    static LongStream seeds() {
        return Seeds.of(7_300L, 300);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomTensorListsRoundTripExactly(long seed) throws IOException {
        SplittableRandom cases = new SplittableRandom(seed);
        List<TensorSpec> specs = tensorList(cases);
        Map<String, String> metadata = metadata(cases);
        long dataSeed = cases.nextLong();

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

        assertThat(header.dataStart() % 8).as("seed %d", seed).isZero();
        assertThat(header.metadata()).as("seed %d", seed).isEqualTo(metadata);
        assertThat(header.tensors()).as("seed %d", seed).hasSameSizeAs(specs);
        long expectedBegin = 0;
        for (int i = 0; i < specs.size(); i++) {
            TensorSpec spec = specs.get(i);
            TensorInfo read = header.tensors().get(i);
            String where = "seed " + seed + ", tensor " + i;
            assertThat(read.name()).as(where).isEqualTo(spec.name());
            assertThat(read.dtype()).as(where).isEqualTo(spec.dtype());
            assertThat(read.shape()).as(where).isEqualTo(spec.shape());
            assertThat(read.begin()).as(where).isEqualTo(expectedBegin);
            assertThat(read.byteLength()).as(where).isEqualTo(contents.get(i).length);
            int from = (int) (header.dataStart() + read.begin());
            assertThat(Arrays.copyOfRange(file, from, from + (int) read.byteLength())).as(where).isEqualTo(contents.get(i));
            expectedBegin = read.end();
        }
        assertThat(header.tensors()).as("seed %d", seed).isEqualTo(encoded.tensors());
        assertThat(header.fileLength()).as("seed %d", seed).isEqualTo(file.length);
    }


    /** Up to 12 tensors with distinct names, any dtype, 0 to 4 dimensions of 0 to 5. */
    private static List<TensorSpec> tensorList(SplittableRandom random) {
        int count = random.nextInt(13);
        List<TensorSpec> specs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        while (specs.size() < count) {
            String name = name(random);
            if (!names.add(name)) {
                continue;
            }
            List<Long> shape = new ArrayList<>();
            int dims = random.nextInt(5);
            for (int d = 0; d < dims; d++) {
                shape.add((long) random.nextInt(6));
            }
            specs.add(new TensorSpec(name, DType.values()[random.nextInt(DType.values().length)], shape));
        }
        return specs;
    }

    private static Map<String, String> metadata(SplittableRandom random) {
        Map<String, String> metadata = new LinkedHashMap<>();
        int count = random.nextInt(4);
        for (int i = 0; i < count; i++) {
            metadata.put(name(random), name(random));
        }
        return metadata;
    }

    private static final char[] CONTROL = {'\n', '\t', '\u0000'};

    // Printable ASCII with JSON's escapes, Latin-1 and CJK letters; never lone surrogates, which no UTF-8 file holds.
    private static String name(SplittableRandom random) {
        while (true) {
            StringBuilder name = new StringBuilder();
            int length = random.nextInt(13);
            for (int i = 0; i < length; i++) {
                int range = random.nextInt(10);
                if (range < 6) {
                    name.append((char) random.nextInt(' ', '~' + 1));
                } else if (range < 8) {
                    name.append((char) random.nextInt('\u00a0', '\u00ff' + 1));
                } else if (range < 9) {
                    name.append((char) random.nextInt('\u4e00', '\u4e20' + 1));
                } else {
                    name.append(CONTROL[random.nextInt(CONTROL.length)]);
                }
            }
            if (!name.toString().equals(HeaderJsonParser.METADATA_KEY)) {
                return name.toString();
            }
        }
    }
}
