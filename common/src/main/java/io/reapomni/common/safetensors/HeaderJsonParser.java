package io.reapomni.common.safetensors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.reapomni.common.json.StrictJson;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a header's JSON into entries, checking the structure and types of every entry and its byte length. The JSON
 * is parsed as it streams in, entry by entry, so that what a header can make this process hold is bounded by the
 * limits below, not by the header's size: no copy of the whole header (bytes, text or tree) is ever made.
 */
final class HeaderJsonParser {
    static final String METADATA_KEY = "__metadata__";
    /** Tensors in one file: a single-file Qwen3-Omni (28,010 tensors) fits twice over. */
    static final int MAX_TENSORS = 65_536;
    /** Dimensions of one tensor (numpy's own limit is 64). */
    static final int MAX_RANK = 64;
    /** JSON tokens in one header: about 30 for each of {@link #MAX_TENSORS} entries; bounds any single entry too. */
    static final long MAX_TOKENS = 30L * MAX_TENSORS;
    private static final Set<String> TENSOR_FIELDS = Set.of("dtype", "shape", "data_offsets");

    // Duplicate keys would make the header mean different things to different readers; trailing tokens after the
    // object would be silently ignored otherwise; nesting deeper than a tensor entry's is never valid.
    private static final ObjectMapper JSON = JsonMapper.builder(StrictJson.factory().rebuild()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxTokenCount(MAX_TOKENS)
                            .maxNestingDepth(4)
                            .build())
                    .build())
            .build();

    private final String fileName;

    private HeaderJsonParser(String fileName) {
        this.fileName = fileName;
    }

    /**
     * Parses the header that {@code json} streams. The text must be UTF-8, as the format requires: Jackson would
     * replace malformed bytes silently, so they are decoded strictly here.
     */
    static HeaderEntries parse(String fileName, InputStream json) throws IOException {
        Reader strictUtf8 = new InputStreamReader(json, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
        return new HeaderJsonParser(fileName).parse(strictUtf8);
    }

    private HeaderEntries parse(Reader json) throws IOException {
        try (JsonParser parser = JSON.createParser(json)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw fail("header is not a JSON object but " + (first == null ? "empty" : describe(parser.readValueAsTree())));
            }
            Map<String, String> metadata = Map.of();
            List<TensorInfo> tensors = new ArrayList<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                // One entry at a time as a tree: small, and bounded by the token limit whatever it holds.
                JsonNode value = parser.readValueAsTree();
                if (name.equals(METADATA_KEY)) {
                    metadata = metadata(value);
                } else {
                    if (tensors.size() == MAX_TENSORS) {
                        throw fail("header has more than " + MAX_TENSORS + " tensors, the limit of one file");
                    }
                    tensors.add(tensor(name, value));
                }
            }
            if (parser.nextToken() != null) {
                throw fail("header is not valid JSON: something follows the header's object");
            }
            return new HeaderEntries(metadata, tensors);
        } catch (CharacterCodingException e) {
            throw SafetensorsFormatException.inFile(fileName, "header is not valid UTF-8", e);
        } catch (StreamConstraintsException e) {
            throw SafetensorsFormatException.inFile(fileName, "header is beyond reap-omni's limits: "
                    + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw SafetensorsFormatException.inFile(fileName, "header is not valid JSON: " + StrictJson.describe(e), e);
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
        if (node.size() > MAX_RANK) {
            throw fail(tensorLabel(name) + ": shape has " + node.size() + " dimensions, more than " + MAX_RANK);
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
