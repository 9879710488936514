package io.reapomni.common.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.reapomni.common.json.StrictJson;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.ReadLimits;

import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A {@code model.safetensors.index.json}: which shard holds each tensor, and the totals transformers records.
 *
 * @param weightMap       tensor name to shard key, in the index's order
 * @param totalSize       {@code metadata.total_size}: the bytes of all tensors
 * @param totalParameters {@code metadata.total_parameters}, written by recent transformers versions only
 */
public record CheckpointIndex(Map<String, String> weightMap, long totalSize, OptionalLong totalParameters) {
    public static final String KEY = "model.safetensors.index.json";

    public CheckpointIndex {
        weightMap = Collections.unmodifiableMap(new LinkedHashMap<>(weightMap));
    }

    /** The index file's bytes, refused past {@link ReadLimits#INDEX_BYTES} before they are buffered. */
    public static byte[] readBytes(ObjectStore store) throws IOException {
        return store.readAll(KEY, ReadLimits.INDEX_BYTES);
    }

    public static CheckpointIndex parse(byte[] json) throws CheckpointException {
        JsonNode root;
        try {
            root = StrictJson.DOCUMENTS.readTree(json);
        } catch (JsonProcessingException e) {
            throw new CheckpointException(KEY + " is not valid JSON: " + StrictJson.describe(e), e);
        } catch (IOException e) {
            throw new CheckpointException(KEY + " is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.path("weight_map").isObject()) {
            throw new CheckpointException(KEY + " has no weight_map object");
        }
        if (root.get("weight_map").size() > Checkpoint.MAX_TENSORS) {
            throw new CheckpointException(KEY + " lists " + root.get("weight_map").size() + " tensors, more than the "
                    + Checkpoint.MAX_TENSORS + " a checkpoint may have");
        }
        Map<String, String> weightMap = new LinkedHashMap<>();
        var fields = root.get("weight_map").fields();
        while (fields.hasNext()) {
            var entry = fields.next();
            if (!entry.getValue().isTextual()) {
                throw new CheckpointException(KEY + ": weight_map entry " + entry.getKey() + " is not a shard name");
            }
            weightMap.put(entry.getKey(), entry.getValue().asText());
        }
        JsonNode metadata = root.path("metadata");
        if (!metadata.path("total_size").canConvertToExactIntegral()) {
            throw new CheckpointException(KEY + " has no integer metadata.total_size");
        }
        JsonNode parameters = metadata.path("total_parameters");
        return new CheckpointIndex(weightMap, metadata.get("total_size").asLong(),
                parameters.canConvertToExactIntegral() ? OptionalLong.of(parameters.asLong()) : OptionalLong.empty());
    }

    /** The index as transformers writes it: metadata first, then the weight map sorted by tensor name. */
    public byte[] toJsonBytes() {
        com.fasterxml.jackson.databind.node.ObjectNode root = StrictJson.MAPPER.createObjectNode();
        com.fasterxml.jackson.databind.node.ObjectNode metadata = root.putObject("metadata");
        totalParameters.ifPresent(parameters -> metadata.put("total_parameters", parameters));
        metadata.put("total_size", totalSize);
        com.fasterxml.jackson.databind.node.ObjectNode map = root.putObject("weight_map");
        new java.util.TreeMap<>(weightMap).forEach(map::put);
        try {
            return (StrictJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree of strings and numbers always serialises", e);
        }
    }
}
