package io.reapomni.common.safetensors;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns a header's JSON bytes into entries, checking the structure and types of every entry and its byte length. */
final class HeaderJsonParser {
    static final String METADATA_KEY = "__metadata__";
    private static final Set<String> TENSOR_FIELDS = Set.of("dtype", "shape", "data_offsets");

    // A duplicate key would make the header mean different things to different readers; trailing tokens after the
    // object would be silently ignored otherwise.
    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final String fileName;

    private HeaderJsonParser(String fileName) {
        this.fileName = fileName;
    }

    static HeaderEntries parse(String fileName, byte[] headerBytes) throws SafetensorsFormatException {
        return new HeaderJsonParser(fileName).parse(headerBytes);
    }

    private HeaderEntries parse(byte[] headerBytes) throws SafetensorsFormatException {
        JsonNode root = parseJson(decodeUtf8(headerBytes));
        if (!root.isObject()) {
            throw fail("header is not a JSON object but " + describe(root));
        }
        Map<String, String> metadata = Map.of();
        List<TensorInfo> tensors = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (field.getKey().equals(METADATA_KEY)) {
                metadata = metadata(field.getValue());
            } else {
                tensors.add(tensor(field.getKey(), field.getValue()));
            }
        }
        return new HeaderEntries(metadata, tensors);
    }

    // Jackson would replace malformed bytes silently; the format requires UTF-8, so a bad byte is an error.
    private String decodeUtf8(byte[] headerBytes) throws SafetensorsFormatException {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(headerBytes)).toString();
        } catch (CharacterCodingException e) {
            throw SafetensorsFormatException.inFile(fileName, "header is not valid UTF-8", e);
        }
    }

    private JsonNode parseJson(String json) throws SafetensorsFormatException {
        try {
            return JSON.readTree(json);
        } catch (JacksonException e) {
            throw SafetensorsFormatException.inFile(fileName, "header is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private Map<String, String> metadata(JsonNode node) throws SafetensorsFormatException {
        if (!node.isObject()) {
            throw fail(METADATA_KEY + " is not an object of strings but " + describe(node));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!entry.getValue().isTextual()) {
                throw fail(METADATA_KEY + " value of \"" + entry.getKey() + "\" is not a string but "
                        + describe(entry.getValue()));
            }
            metadata.put(entry.getKey(), entry.getValue().textValue());
        }
        return metadata;
    }

    private TensorInfo tensor(String name, JsonNode node) throws SafetensorsFormatException {
        if (!node.isObject()) {
            throw fail(tensorLabel(name) + " is not an object but " + describe(node));
        }
        for (String field : TENSOR_FIELDS) {
            if (!node.has(field)) {
                throw fail(tensorLabel(name) + " has no \"" + field + "\"");
            }
        }
        for (var fieldNames = node.fieldNames(); fieldNames.hasNext(); ) {
            String field = fieldNames.next();
            if (!TENSOR_FIELDS.contains(field)) {
                throw fail(tensorLabel(name) + " has an unexpected field \"" + field + "\"");
            }
        }
        DType dtype = dtype(name, node.get("dtype"));
        List<Long> shape = shape(name, node.get("shape"));
        long[] offsets = dataOffsets(name, node.get("data_offsets"));
        TensorInfo tensor = new TensorInfo(name, dtype, shape, offsets[0], offsets[1]);
        checkByteLength(tensor);
        return tensor;
    }

    private DType dtype(String name, JsonNode node) throws SafetensorsFormatException {
        if (!node.isTextual()) {
            throw fail(tensorLabel(name) + ": dtype is not a string but " + describe(node));
        }
        try {
            return DType.parse(node.textValue());
        } catch (SafetensorsFormatException e) {
            throw SafetensorsFormatException.inFile(fileName, tensorLabel(name) + ": " + e.getMessage(), e);
        }
    }

    private List<Long> shape(String name, JsonNode node) throws SafetensorsFormatException {
        if (!node.isArray()) {
            throw fail(tensorLabel(name) + ": shape is not an array but " + describe(node));
        }
        List<Long> shape = new ArrayList<>(node.size());
        for (JsonNode dim : node) {
            shape.add(nonNegativeLong(dim, tensorLabel(name) + ": shape " + node));
        }
        return shape;
    }

    private long[] dataOffsets(String name, JsonNode node) throws SafetensorsFormatException {
        String what = tensorLabel(name) + ": data_offsets " + node;
        if (!node.isArray() || node.size() != 2) {
            throw fail(what + " is not an array of two integers");
        }
        long begin = nonNegativeLong(node.get(0), what);
        long end = nonNegativeLong(node.get(1), what);
        if (begin > end) {
            throw fail(what + " begins after it ends");
        }
        return new long[] {begin, end};
    }

    private long nonNegativeLong(JsonNode node, String what) throws SafetensorsFormatException {
        if (!node.isIntegralNumber()) {
            throw fail(what + " holds " + node + ", which is not an integer");
        }
        if (!node.canConvertToLong()) {
            throw fail(what + " holds " + node + ", which is too large");
        }
        if (node.longValue() < 0) {
            throw fail(what + " holds the negative number " + node);
        }
        return node.longValue();
    }

    private void checkByteLength(TensorInfo tensor) throws SafetensorsFormatException {
        long needed;
        try {
            needed = Math.multiplyExact(tensor.elementCount(), tensor.dtype().byteSize());
        } catch (ArithmeticException e) {
            throw fail(tensorLabel(tensor.name()) + ": shape " + tensor.shape() + " of " + tensor.dtype()
                    + " overflows a 64-bit byte count");
        }
        if (needed != tensor.byteLength()) {
            throw fail(tensorLabel(tensor.name()) + ": data_offsets [" + tensor.begin() + ", " + tensor.end()
                    + "] span " + tensor.byteLength() + " bytes but shape " + tensor.shape() + " of "
                    + tensor.dtype() + " needs " + needed);
        }
    }

    private static String tensorLabel(String name) {
        return "tensor \"" + name + "\"";
    }

    private static String describe(JsonNode node) {
        return node.getNodeType().name().toLowerCase() + " " + node;
    }

    private SafetensorsFormatException fail(String problem) {
        return SafetensorsFormatException.inFile(fileName, problem);
    }
}
