package io.reapomni.common.rewrite;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * {@code reap-report.json}: what a rewrite did, for people and for tools. Parameters and bytes per component before
 * and after, per decoder stack the layers removed and the experts kept and dropped per layer, the output shards, how
 * the bytes moved, and the plan itself (with the scores it carries as evidence, when it was calibrated).
 */
public record RewriteReport(
        int schemaVersion,
        String jobId,
        String source,
        String output,
        List<ComponentRow> components,
        List<StackRow> stacks,
        TensorCounts tensors,
        List<ShardRow> shards,
        TransferStats transfer,
        JsonNode plan) {

    public static final String JSON_FILE = "reap-report.json";
    public static final String MARKDOWN_FILE = "REPORT.md";
    public static final int SCHEMA_VERSION = 1;

    public RewriteReport {
        components = List.copyOf(components);
        stacks = List.copyOf(stacks);
        shards = List.copyOf(shards);
    }

    public record ComponentRow(String component, long parametersBefore, long parametersAfter,
                               long bytesBefore, long bytesAfter) {
    }

    /** One decoder stack; {@code experts} lists every kept MoE layer of an expert-pruned stack. */
    public record StackRow(String stack, int layersBefore, int layersAfter, List<Integer> removedLayers,
                           int expertsBefore, int expertsAfter, List<LayerExperts> experts) {
        public StackRow {
            removedLayers = List.copyOf(removedLayers);
            experts = List.copyOf(experts);
        }
    }

    public record LayerExperts(int layer, int newLayer, List<Integer> kept, List<Integer> dropped) {
        public LayerExperts {
            kept = List.copyOf(kept);
            dropped = List.copyOf(dropped);
        }
    }

    public record TensorCounts(int removed, int kept, int renamed, int sliced) {
    }

    public record ShardRow(String file, String source, int tensors, long bytes) {
    }

    public long parametersBefore() {
        return components.stream().mapToLong(ComponentRow::parametersBefore).sum();
    }

    public long parametersAfter() {
        return components.stream().mapToLong(ComponentRow::parametersAfter).sum();
    }

    public long bytesBefore() {
        return components.stream().mapToLong(ComponentRow::bytesBefore).sum();
    }

    public long bytesAfter() {
        return components.stream().mapToLong(ComponentRow::bytesAfter).sum();
    }
}
