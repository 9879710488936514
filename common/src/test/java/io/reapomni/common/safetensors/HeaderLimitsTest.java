package io.reapomni.common.safetensors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.reapomni.common.safetensors.RawFiles.concat;
import static io.reapomni.common.safetensors.RawFiles.prefix;
import static io.reapomni.common.safetensors.RawFiles.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A header may make the reader hold only what its stated limits allow: its length, the tensors and dimensions it
 * lists and the JSON tokens it has. A header at every limit at once is read in a 256 MB heap.
 */
class HeaderLimitsTest {

    @TempDir
    Path temp;

    @Test
    void aHeaderAtEveryLimitIsReadWithinA256MegabyteHeap() throws Exception {
        Path shard = temp.resolve("at-the-limits.safetensors");
        Files.write(shard, headerOfLength(HeaderJsonParser.MAX_TENSORS, (int) SafetensorsHeaderReader.MAX_HEADER_LENGTH));

        Process probe = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), HeaderReadingProbe.class.getName(),
                shard.toString()).redirectErrorStream(true).start();
        boolean ended = probe.waitFor(2, TimeUnit.MINUTES);
        String printed = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(ended).as(printed).isTrue();
        assertThat(probe.exitValue()).as(printed).isZero();
        assertThat(printed).contains(HeaderJsonParser.MAX_TENSORS + " tensors");
    }

    @Test
    void oneTensorMoreThanTheLimitIsRefused() {
        byte[] file = headerOfLength(HeaderJsonParser.MAX_TENSORS + 1, 0);

        assertThatThrownBy(() -> read(file)).isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining("more than " + HeaderJsonParser.MAX_TENSORS + " tensors");
    }

    @Test
    void aShapeOfMoreDimensionsThanTheLimitIsRefused() {
        String shape = "1,".repeat(HeaderJsonParser.MAX_RANK) + "1";
        byte[] file = RawFiles.file("{\"t\":{\"dtype\":\"U8\",\"shape\":[" + shape + "],\"data_offsets\":[0,1]}}", 1);

        assertThatThrownBy(() -> read(file)).isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining("shape has " + (HeaderJsonParser.MAX_RANK + 1) + " dimensions");
    }

    @Test
    void aHeaderOfMoreTokensThanTheLimitIsRefusedWhateverHoldsThem() {
        StringBuilder metadata = new StringBuilder("{\"__metadata__\":{");
        for (long i = 0; i <= HeaderJsonParser.MAX_TOKENS / 2; i++) {
            metadata.append(i == 0 ? "" : ",").append('"').append(Long.toString(i, 36)).append("\":\"\"");
        }
        String json = metadata.append("}}").toString();
        assertThat((long) json.length()).isLessThan(SafetensorsHeaderReader.MAX_HEADER_LENGTH);

        assertThatThrownBy(() -> read(RawFiles.file(json, 0))).isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining("beyond reap-omni's limits").hasMessageContaining("Token count");
    }

    /**
     * A file of {@code tensors} one-byte tensors whose header, with names long enough, is {@code length} bytes
     * (at least as long as the entries need, when {@code length} is 0).
     */
    static byte[] headerOfLength(int tensors, int length) {
        String tail = "\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[";
        int fixed = 2; // the braces
        for (int i = 0; i < tensors; i++) {
            fixed += 1 + tail.length() + digits(i) + 1 + digits(i + 1) + 3 + (i == 0 ? 0 : 1) + 8;
        }
        int namePadding = length == 0 ? 0 : (length - fixed) / tensors;
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < tensors; i++) {
            String name = String.format("t%07d", i) + "x".repeat(namePadding);
            json.append(i == 0 ? "" : ",").append('"').append(name).append(tail).append(i).append(',').append(i + 1)
                    .append("]}");
        }
        json.append('}');
        while (length > 0 && json.length() < length) {
            json.append(' '); // the format pads headers with spaces
        }
        byte[] header = json.toString().getBytes(StandardCharsets.UTF_8);
        return concat(prefix(header.length), header, new byte[tensors]);
    }

    private static int digits(int value) {
        return Integer.toString(value).length();
    }

    /** Reads one header in its own JVM (the test gives it a 256 MB heap) and says how many tensors it has. */
    public static final class HeaderReadingProbe {
        public static void main(String[] args) throws Exception {
            SafetensorsHeader header = SafetensorsHeaderReader.read(new File(args[0]).toPath());
            System.out.println(header.tensors().size() + " tensors, header of " + header.headerLength() + " bytes");
        }
    }
}
