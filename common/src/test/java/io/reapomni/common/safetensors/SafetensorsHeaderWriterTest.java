package io.reapomni.common.safetensors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SafetensorsHeaderWriterTest {

    private static long lengthPrefix(byte[] encoded) {
        return ByteBuffer.wrap(encoded, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private static String json(byte[] encoded) {
        return new String(encoded, 8, encoded.length - 8, StandardCharsets.UTF_8);
    }

    @Test
    void writesCompactJsonWithMetadataFirst() {
        EncodedHeader header = SafetensorsHeaderWriter.encode(Map.of("format", "pt"),
                List.of(new TensorSpec("w", DType.F32, List.of(2L, 2L))));

        // 88 bytes of JSON: 8 + 88 is already a multiple of 8, so no padding.
        assertThat(lengthPrefix(header.bytes())).isEqualTo(88);
        assertThat(json(header.bytes())).isEqualTo(
                "{\"__metadata__\":{\"format\":\"pt\"},\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}");
        assertThat(header.tensors()).containsExactly(new TensorInfo("w", DType.F32, List.of(2L, 2L), 0, 16));
        assertThat(header.dataStart()).isEqualTo(96);
        assertThat(header.fileLength()).isEqualTo(112);
    }

    @Test
    void omitsEmptyMetadataKeepsTheGivenOrderAndPadsWithSpaces() {
        EncodedHeader header = SafetensorsHeaderWriter.encode(Map.of(), List.of(
                new TensorSpec("b", DType.U8, List.of(3L)),
                new TensorSpec("a", DType.BF16, List.of(2L))));

        // 107 bytes of JSON, padded by 5 spaces to 112.
        assertThat(lengthPrefix(header.bytes())).isEqualTo(112);
        assertThat(json(header.bytes())).isEqualTo(
                "{\"b\":{\"dtype\":\"U8\",\"shape\":[3],\"data_offsets\":[0,3]},"
                        + "\"a\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[3,7]}}     ");
        assertThat(header.tensors()).containsExactly(
                new TensorInfo("b", DType.U8, List.of(3L), 0, 3),
                new TensorInfo("a", DType.BF16, List.of(2L), 3, 7));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
    void alignsTheDataSectionToEightBytesWithLessThanEightSpaces(int extraNameLength) {
        String name = "t" + "x".repeat(extraNameLength);
        byte[] encoded = SafetensorsHeaderWriter.encode(Map.of(),
                List.of(new TensorSpec(name, DType.I8, List.of(1L)))).bytes();

        String json = json(encoded);
        String unpadded = json.stripTrailing();
        assertThat(encoded.length % 8).isZero();
        assertThat(lengthPrefix(encoded)).isEqualTo(encoded.length - 8);
        assertThat(json.length() - unpadded.length()).isLessThan(8);
        assertThat(json.substring(unpadded.length())).matches(" *");
        assertThat(unpadded).endsWith("\"data_offsets\":[0,1]}}");
    }

    @Test
    void keepsUnicodeNamesAsUtf8() {
        byte[] encoded = SafetensorsHeaderWriter.encode(Map.of("n\u00e4me", "v\u00e4lue"),
                List.of(new TensorSpec("gew\u00fccht \"q\"", DType.BOOL, List.of()))).bytes();

        assertThat(json(encoded)).startsWith(
                "{\"__metadata__\":{\"n\u00e4me\":\"v\u00e4lue\"},\"gew\u00fccht \\\"q\\\"\":{\"dtype\":\"BOOL\"");
    }

    @Test
    void encodesEqualInputsToEqualBytesWhateverTheMetadataMapOrder() {
        Map<String, String> forward = new LinkedHashMap<>();
        forward.put("a", "1");
        forward.put("b", "2");
        Map<String, String> backward = new LinkedHashMap<>();
        backward.put("b", "2");
        backward.put("a", "1");
        List<TensorSpec> tensors = List.of(new TensorSpec("t", DType.F16, List.of(4L)));

        EncodedHeader first = SafetensorsHeaderWriter.encode(forward, tensors);
        EncodedHeader second = SafetensorsHeaderWriter.encode(backward, tensors);

        assertThat(first).isEqualTo(second).hasSameHashCodeAs(second);
        assertThat(json(first.bytes())).startsWith("{\"__metadata__\":{\"a\":\"1\",\"b\":\"2\"}");
    }

    @Test
    void rejectsDuplicateNames() {
        List<TensorSpec> tensors = List.of(
                new TensorSpec("w", DType.F32, List.of(1L)), new TensorSpec("w", DType.F16, List.of(2L)));

        assertThatThrownBy(() -> SafetensorsHeaderWriter.encode(Map.of(), tensors))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duplicate tensor name \"w\"");
    }

    @Test
    void rejectsATensorNamedLikeTheMetadata() {
        List<TensorSpec> tensors = List.of(new TensorSpec("__metadata__", DType.U8, List.of(1L)));

        assertThatThrownBy(() -> SafetensorsHeaderWriter.encode(Map.of(), tensors))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("may not be named __metadata__");
    }

    @Test
    void tensorSpecRejectsNegativeDimensionsAndOverflowingSizes() {
        assertThatThrownBy(() -> new TensorSpec("n", DType.U8, List.of(2L, -1L)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative dimension in shape [2, -1]");
        assertThatThrownBy(() -> new TensorSpec("o", DType.BF16, List.of(1L << 62, 2L)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("overflows a 64-bit byte count");
    }

    @Test
    void tensorSpecCountsBytes() {
        assertThat(new TensorSpec("s", DType.F64, List.of()).byteLength()).isEqualTo(8);
        assertThat(new TensorSpec("m", DType.BF16, List.of(3L, 5L)).byteLength()).isEqualTo(30);
        assertThat(new TensorSpec("z", DType.I32, List.of(7L, 0L)).byteLength()).isZero();
    }

    @Test
    void encodedBytesCannotBeChangedFromOutside() {
        byte[] given = {1, 2, 3, 4, 5, 6, 7, 8};
        EncodedHeader header = new EncodedHeader(given, List.of());

        given[0] = 9;
        header.bytes()[1] = 9;

        assertThat(header.bytes()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    }
}
