package io.reapomni.common.safetensors;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Encodes a header for tensors laid out one after another in the given order. */
public final class SafetensorsHeaderWriter {

    // The Rust safetensors library pads the JSON with spaces so that the data section starts 8-aligned,
    // which lets readers map tensors of any dtype without copying.
    private static final int DATA_ALIGNMENT = 8;
    private static final byte PADDING = ' ';
    private static final JsonFactory JSON = new JsonFactory();

    private SafetensorsHeaderWriter() {
    }

    /**
     * @param metadata the {@code __metadata__} map, omitted from the JSON when empty; written in key order so that
     *                 equal inputs give equal bytes whatever the map's iteration order
     * @param tensors  the tensors in data order; their offsets are assigned one after another from 0
     * @throws IllegalArgumentException for a duplicate name, a tensor named {@code __metadata__}, or a header too
     *                                  large for readers to accept
     */
    public static EncodedHeader encode(Map<String, String> metadata, List<TensorSpec> tensors) {
        List<TensorInfo> placed = place(tensors);
        byte[] json = json(new TreeMap<>(metadata), placed);
        long paddedLength = roundUp(json.length, DATA_ALIGNMENT);
        if (paddedLength > SafetensorsHeaderReader.MAX_HEADER_LENGTH) {
            throw new IllegalArgumentException("header of " + paddedLength + " bytes exceeds the limit of "
                    + SafetensorsHeaderReader.MAX_HEADER_LENGTH + " bytes that readers accept");
        }
        byte[] prefix = new byte[SafetensorsHeaderReader.LENGTH_PREFIX_BYTES + (int) paddedLength];
        ByteBuffer.wrap(prefix).order(ByteOrder.LITTLE_ENDIAN).putLong(paddedLength).put(json);
        Arrays.fill(prefix, SafetensorsHeaderReader.LENGTH_PREFIX_BYTES + json.length, prefix.length, PADDING);
        return new EncodedHeader(prefix, placed);
    }

    private static List<TensorInfo> place(List<TensorSpec> tensors) {
        Set<String> names = new HashSet<>();
        List<TensorInfo> placed = new ArrayList<>(tensors.size());
        long offset = 0;
        for (TensorSpec spec : tensors) {
            if (spec.name().equals(HeaderJsonParser.METADATA_KEY)) {
                throw new IllegalArgumentException("a tensor may not be named " + HeaderJsonParser.METADATA_KEY);
            }
            if (!names.add(spec.name())) {
                throw new IllegalArgumentException("duplicate tensor name \"" + spec.name() + "\"");
            }
            long end = Math.addExact(offset, spec.byteLength());
            placed.add(new TensorInfo(spec.name(), spec.dtype(), spec.shape(), offset, end));
            offset = end;
        }
        return placed;
    }

    private static byte[] json(Map<String, String> metadata, List<TensorInfo> tensors) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            if (!metadata.isEmpty()) {
                json.writeFieldName(HeaderJsonParser.METADATA_KEY);
                json.writeStartObject();
                for (Map.Entry<String, String> entry : metadata.entrySet()) {
                    json.writeStringField(entry.getKey(), entry.getValue());
                }
                json.writeEndObject();
            }
            for (TensorInfo tensor : tensors) {
                writeTensor(json, tensor);
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    private static void writeTensor(JsonGenerator json, TensorInfo tensor) throws IOException {
        json.writeFieldName(tensor.name());
        json.writeStartObject();
        json.writeStringField("dtype", tensor.dtype().name());
        json.writeFieldName("shape");
        json.writeStartArray();
        for (long dim : tensor.shape()) {
            json.writeNumber(dim);
        }
        json.writeEndArray();
        json.writeFieldName("data_offsets");
        json.writeStartArray();
        json.writeNumber(tensor.begin());
        json.writeNumber(tensor.end());
        json.writeEndArray();
        json.writeEndObject();
    }

    private static long roundUp(long length, int multiple) {
        return (length + multiple - 1) / multiple * multiple;
    }
}
