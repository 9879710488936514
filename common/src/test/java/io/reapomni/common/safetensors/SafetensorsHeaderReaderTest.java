package io.reapomni.common.safetensors;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static io.reapomni.common.safetensors.RawFiles.concat;
import static io.reapomni.common.safetensors.RawFiles.file;
import static io.reapomni.common.safetensors.RawFiles.prefix;
import static io.reapomni.common.safetensors.RawFiles.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SafetensorsHeaderReaderTest {

    private static void assertRejected(byte[] file, String... problem) {
        assertThatThrownBy(() -> read(file))
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageStartingWith(RawFiles.NAME + ": ")
                .hasMessageContainingAll(problem);
    }

    /** A header with one F32 tensor "t" whose entry is {@code entry}, followed by {@code dataBytes} bytes. */
    private static byte[] oneTensor(String entry, int dataBytes) {
        return file("{\"t\":" + entry + "}", dataBytes);
    }

    @Nested
    class ValidHeaders {

        @Test
        void returnsEntriesInDataOrderWithMetadata() throws IOException {
            String json = "{\"__metadata__\":{\"format\":\"pt\",\"note\":\"x\"},"
                    + "\"second\":{\"dtype\":\"BF16\",\"shape\":[3,2],\"data_offsets\":[8,20]},"
                    + "\"first\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[0,8]}}";

            SafetensorsHeader header = read(file(json, 20));

            assertThat(header.headerLength()).isEqualTo(json.length());
            assertThat(header.metadata()).isEqualTo(Map.of("format", "pt", "note", "x"));
            assertThat(header.tensors()).containsExactly(
                    new TensorInfo("first", DType.F64, List.of(), 0, 8),
                    new TensorInfo("second", DType.BF16, List.of(3L, 2L), 8, 20));
        }

        @Test
        void preservesNamesExactly() throws IOException {
            String json = "{\"a.b \\\"q\\\" \u00fc\u4e2d\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]},"
                    + "\"\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[1,2]}}";

            SafetensorsHeader header = read(file(json, 2));

            assertThat(header.tensors()).extracting(TensorInfo::name)
                    .containsExactly("a.b \"q\" \u00fc\u4e2d", "");
        }

        @Test
        void acceptsTrailingSpacePadding() throws IOException {
            String json = "{\"t\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[0,8]}}     ";

            SafetensorsHeader header = read(file(json, 8));

            assertThat(header.headerLength()).isEqualTo(json.length());
            assertThat(header.dataStart()).isEqualTo(8 + json.length());
            assertThat(header.tensors()).extracting(TensorInfo::name).containsExactly("t");
        }

        @Test
        void acceptsZeroSizeTensorsAtAnyBoundary() throws IOException {
            String json = "{\"b\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[4,8]},"
                    + "\"empty\":{\"dtype\":\"F32\",\"shape\":[0,7],\"data_offsets\":[4,4]},"
                    + "\"a\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},"
                    + "\"last\":{\"dtype\":\"I64\",\"shape\":[3,0],\"data_offsets\":[8,8]}}";

            SafetensorsHeader header = read(file(json, 8));

            assertThat(header.tensors()).extracting(TensorInfo::name).containsExactly("a", "empty", "b", "last");
        }

        @Test
        void acceptsNoTensorsWhenTheDataSectionIsEmpty() throws IOException {
            assertThat(read(file("{}", 0)).tensors()).isEmpty();
            assertThat(read(file("{\"__metadata__\":{}}", 0)).fileLength()).isEqualTo(8 + 19);
        }
    }

    @Nested
    class LengthPrefix {

        @ParameterizedTest
        @ValueSource(ints = {0, 1, 7})
        void rejectsAFileShorterThanTheLengthPrefix(int length) {
            assertRejected(new byte[length], "file is " + length + " bytes long", "shorter than the 8-byte");
        }

        @Test
        void rejectsAZeroHeaderLength() {
            assertRejected(concat(prefix(0), "{}".getBytes(StandardCharsets.UTF_8)), "header length is 0");
        }

        @Test
        void rejectsAHeaderLengthOverTheLimit() {
            assertRejected(concat(prefix((16L << 20) + 1), new byte[64]),
                    "header length 16777217 exceeds the limit of 16777216");
        }

        /** Within the safetensors library's 100 MB, such a header exhausted a 256 MB heap before the limit was lowered. */
        @Test
        void rejectsA91MegabyteHeaderBeforeReadingIt() {
            assertRejected(concat(prefix(91_000_000L), new byte[64]), "header length 91000000 exceeds the limit");
        }

        @Test
        void readsTheLengthAsUnsigned() {
            assertRejected(concat(prefix(-1L), new byte[64]),
                    "header length 18446744073709551615 exceeds the limit");
        }

        @Test
        void acceptsAHeaderLengthOfExactlyTheLimit() {
            byte[] file = concat(prefix(16L << 20), new byte[8]);

            assertThatThrownBy(() -> read(file))
                    .isInstanceOf(SafetensorsFormatException.class)
                    .hasMessageContaining("header length 16777216 larger than the file")
                    .hasMessageNotContaining("limit");
        }

        @Test
        void rejectsAHeaderLengthLargerThanTheFile() {
            byte[] json = "{}".getBytes(StandardCharsets.UTF_8);
            assertRejected(concat(prefix(3), json), "header length 3 larger than the file (10 bytes)");
        }

        @Test
        void rejectsASourceThatEndsBeforeTheStatedFileLength() {
            byte[] file = file("{}", 0);
            RangeSource truncated = (offset, length) -> new ByteArrayInputStream(file, (int) offset, 1);

            assertThatThrownBy(() -> SafetensorsHeaderReader.read(RawFiles.NAME, file.length, truncated))
                    .isInstanceOf(SafetensorsFormatException.class)
                    .hasMessageContaining("file ended after 1 of the 8 bytes at offset 0");
        }
    }

    @Nested
    class Json {

        @Test
        void rejectsInvalidUtf8() {
            byte[] header = concat("{\"".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xC3, 0x28},
                    "\":{}}".getBytes(StandardCharsets.UTF_8));
            assertRejected(concat(prefix(header.length), header), "not valid UTF-8");
        }

        @ParameterizedTest
        @ValueSource(strings = {"[]", "\"text\"", "42", "   "})
        void rejectsAHeaderThatIsNotAnObject(String json) {
            assertRejected(file(json, 0), "header is not a JSON object");
        }

        @ParameterizedTest
        @ValueSource(strings = {"{\"t\":", "{} {}", "{'t':1}", "{\"t\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[0,0]}}x"})
        void rejectsMalformedJson(String json) {
            assertRejected(file(json, 0), "header is not valid JSON");
        }

        @Test
        void rejectsDuplicateTensorNames() {
            String entry = "{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[0,0]}";
            assertRejected(file("{\"t\":" + entry + ",\"t\":" + entry + "}", 0), "Duplicate field 't'");
        }

        @Test
        void rejectsDuplicateFieldsInsideAnEntry() {
            assertRejected(oneTensor("{\"dtype\":\"U8\",\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[0,0]}", 0),
                    "Duplicate field 'dtype'");
        }
    }

    @Nested
    class Metadata {

        @ParameterizedTest
        @ValueSource(strings = {"\"pt\"", "[\"pt\"]", "null", "7"})
        void rejectsMetadataThatIsNotAnObject(String value) {
            assertRejected(file("{\"__metadata__\":" + value + "}", 0), "__metadata__ is not an object of strings");
        }

        @ParameterizedTest
        @ValueSource(strings = {"1", "true", "null", "{}", "[\"a\"]"})
        void rejectsMetadataValuesThatAreNotStrings(String value) {
            assertRejected(file("{\"__metadata__\":{\"format\":\"pt\",\"n\":" + value + "}}", 0),
                    "__metadata__ value of \"n\" is not a string");
        }
    }

    @Nested
    class Entries {

        @ParameterizedTest
        @ValueSource(strings = {"dtype", "shape", "data_offsets"})
        void rejectsAnEntryWithoutARequiredField(String missing) {
            String entry = "{" + String.join(",", List.of(
                            "\"dtype\":\"U8\"", "\"shape\":[1]", "\"data_offsets\":[0,1]").stream()
                    .filter(field -> !field.startsWith("\"" + missing + "\""))
                    .toList()) + "}";
            assertRejected(oneTensor(entry, 1), "tensor \"t\" has no \"" + missing + "\"");
        }

        @Test
        void rejectsAnEntryWithAnExtraField() {
            assertRejected(oneTensor("{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1],\"stride\":[1]}", 1),
                    "tensor \"t\" has an unexpected field \"stride\"");
        }

        @ParameterizedTest
        @ValueSource(strings = {"[]", "\"U8\"", "null"})
        void rejectsAnEntryThatIsNotAnObject(String entry) {
            assertRejected(oneTensor(entry, 0), "tensor \"t\" is not an object");
        }

        @Test
        void rejectsADtypeThatIsNotAString() {
            assertRejected(oneTensor("{\"dtype\":1,\"shape\":[1],\"data_offsets\":[0,1]}", 1),
                    "tensor \"t\": dtype is not a string");
        }

        @ParameterizedTest
        @ValueSource(strings = {"F128", "f32", "float32", ""})
        void rejectsAnUnknownDtype(String dtype) {
            assertRejected(oneTensor("{\"dtype\":\"" + dtype + "\",\"shape\":[1],\"data_offsets\":[0,1]}", 1),
                    "tensor \"t\": unknown dtype \"" + dtype + "\"");
        }

        @ParameterizedTest
        @ValueSource(strings = {"{}", "3", "\"[3]\"", "null"})
        void rejectsAShapeThatIsNotAnArray(String shape) {
            assertRejected(oneTensor("{\"dtype\":\"U8\",\"shape\":" + shape + ",\"data_offsets\":[0,3]}", 3),
                    "tensor \"t\": shape is not an array");
        }

        @Test
        void rejectsANegativeDimension() {
            assertRejected(oneTensor("{\"dtype\":\"U8\",\"shape\":[-1,-1],\"data_offsets\":[0,1]}", 1),
                    "tensor \"t\": shape [-1,-1] holds the negative number -1");
        }

        @ParameterizedTest
        @ValueSource(strings = {"1.5", "2.0", "1e2", "\"2\"", "null", "[2]"})
        void rejectsADimensionThatIsNotAnInteger(String dim) {
            assertRejected(oneTensor("{\"dtype\":\"U8\",\"shape\":[" + dim + "],\"data_offsets\":[0,2]}", 2),
                    "tensor \"t\": shape [", "which is not an integer");
        }

        @Test
        void rejectsADimensionBeyondALong() {
            assertRejected(oneTensor("{\"dtype\":\"U8\",\"shape\":[9223372036854775808],\"data_offsets\":[0,1]}", 1),
                    "9223372036854775808, which is too large");
        }

        @ParameterizedTest
        @ValueSource(strings = {"[0]", "[0,1,1]", "[]", "{\"begin\":0,\"end\":1}", "\"0,1\""})
        void rejectsDataOffsetsThatAreNotTwoNumbers(String offsets) {
            assertRejected(oneTensor("{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":" + offsets + "}", 1),
                    "tensor \"t\": data_offsets", "is not an array of two integers");
        }

        @Test
        void rejectsNegativeDataOffsets() {
            assertRejected(oneTensor("{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[-1,0]}", 1),
                    "tensor \"t\": data_offsets [-1,0] holds the negative number -1");
        }

        @ParameterizedTest
        @ValueSource(strings = {"[0.0,1]", "[0,\"1\"]", "[0,null]"})
        void rejectsDataOffsetsThatAreNotIntegers(String offsets) {
            assertRejected(oneTensor("{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":" + offsets + "}", 1),
                    "tensor \"t\": data_offsets", "which is not an integer");
        }

        @Test
        void rejectsDataOffsetsThatBeginAfterTheyEnd() {
            assertRejected(oneTensor("{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[4,2]}", 4),
                    "tensor \"t\": data_offsets [4,2] begins after it ends");
        }

        @Test
        void rejectsAByteLengthThatDisagreesWithShapeAndDtype() {
            assertRejected(oneTensor("{\"dtype\":\"BF16\",\"shape\":[2,3],\"data_offsets\":[0,6]}", 6),
                    "tensor \"t\": data_offsets [0, 6] span 6 bytes but shape [2, 3] of BF16 needs 12");
        }

        @Test
        void reportsAnElementCountThatOverflows() {
            assertRejected(oneTensor(
                            "{\"dtype\":\"U8\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,0]}", 0),
                    "tensor \"t\": shape [4294967296, 4294967296] of U8 overflows a 64-bit byte count");
        }

        @Test
        void reportsAByteCountThatOverflowsOnlyByTheDtypeSize() {
            assertRejected(oneTensor(
                            "{\"dtype\":\"F64\",\"shape\":[2305843009213693952],\"data_offsets\":[0,0]}", 0),
                    "tensor \"t\": shape [2305843009213693952] of F64 overflows a 64-bit byte count");
        }
    }

    @Nested
    class Layout {

        private static String entry(String name, int begin, int end) {
            return "\"" + name + "\":{\"dtype\":\"U8\",\"shape\":[" + (end - begin) + "],\"data_offsets\":["
                    + begin + "," + end + "]}";
        }

        private byte[] layout(int dataBytes, String... entries) {
            return file("{" + String.join(",", entries) + "}", dataBytes);
        }

        @Test
        void rejectsTensorsThatDoNotStartAtZero() {
            assertRejected(layout(6, entry("a", 2, 4), entry("b", 4, 6)),
                    "the first tensor \"a\" [2, 4) does not begin at offset 0");
        }

        @Test
        void rejectsAGapBetweenTensors() {
            assertRejected(layout(7, entry("a", 0, 4), entry("b", 5, 7)),
                    "gap of 1 bytes between tensor \"a\" [0, 4) and tensor \"b\" [5, 7)");
        }

        @Test
        void rejectsOverlappingTensors() {
            assertRejected(layout(6, entry("b", 3, 6), entry("a", 0, 4)),
                    "tensor \"b\" [3, 6) overlaps tensor \"a\" [0, 4)");
        }

        @Test
        void rejectsTwoTensorsOverTheSameBytes() {
            assertRejected(layout(4, entry("a", 0, 4), entry("alias", 0, 4)),
                    "tensor \"alias\" [0, 4) overlaps tensor \"a\" [0, 4)");
        }

        @Test
        void rejectsAnEmptyTensorInsideAnother() {
            assertRejected(layout(4, entry("a", 0, 4), entry("inside", 2, 2)),
                    "tensor \"inside\" [2, 2) overlaps tensor \"a\" [0, 4)");
        }

        @Test
        void rejectsATruncatedFile() {
            assertRejected(layout(5, entry("a", 0, 4), entry("b", 4, 6)),
                    "file is truncated: its tensors need 6 bytes of data but only 5 bytes follow the header");
        }

        @Test
        void rejectsTrailingBytes() {
            assertRejected(layout(9, entry("a", 0, 4), entry("b", 4, 6)),
                    "file has 3 trailing bytes after its tensors' 6 bytes of data");
        }

        @Test
        void rejectsDataAfterAHeaderWithoutTensors() {
            assertRejected(file("{\"__metadata__\":{\"format\":\"pt\"}}", 16), "file has 16 trailing bytes");
        }
    }
}
