package io.reapomni.common.rewrite;

import com.fasterxml.jackson.databind.JsonNode;
import io.reapomni.common.evaluation.QualityReport;
import io.reapomni.common.plan.ScoringEvidence;
import io.reapomni.common.report.ComponentBar;
import io.reapomni.common.report.Figure;
import io.reapomni.common.report.ReportFigures;

import java.util.List;
import java.util.Optional;

/**
 * {@code reap-report.json}: what a rewrite did, for people and for tools. Parameters and bytes per component before
 * and after, per decoder stack the layers removed and the experts kept and dropped per layer, the output shards, how
 * the bytes moved, and the plan itself (with the scores it carries as evidence, when it was calibrated); once the
 * job evaluated the written model, its quality on the held-out samples.
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
        JsonNode plan,
        Optional<QualityReport> quality) {

    public static final String JSON_FILE = "reap-report.json";
    public static final String MARKDOWN_FILE = "REPORT.md";
    /** 2: the written model's quality ({@link #quality}), and the figures beside the report. */
    public static final int SCHEMA_VERSION = 2;

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

    /** The same report with the written model's quality. */
    public RewriteReport withQuality(QualityReport evaluated) {
        return new RewriteReport(SCHEMA_VERSION, jobId, source, output, components, stacks, tensors, shards, transfer,
                plan, Optional.of(evaluated));
    }

    /**
     * Whether the plan left the thinker's decoder as it was (a strip): the written model then predicts exactly what
     * the original does, and its KL is 0 by construction.
     */
    public boolean thinkerUnchanged() {
        return stacks.stream().filter(stack -> stack.stack().equals("thinker")).allMatch(stack ->
                stack.layersBefore() == stack.layersAfter() && stack.expertsBefore() == stack.expertsAfter());
    }

    /** The scores of a calibrated plan; empty for listed experts and layers, or evidence that cannot be read. */
    public Optional<ScoringEvidence> scoringEvidence() {
        return scoringEvidence(plan);
    }

    /** The scores in a plan's JSON ({@link #scoringEvidence()}). */
    static Optional<ScoringEvidence> scoringEvidence(JsonNode plan) {
        try {
            return ScoringEvidence.fromPlanEvidence(plan.path("evidence"));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The figures this report shows. */
    public List<Figure> figures() {
        return ReportFigures.of(components.stream()
                .map(row -> new ComponentBar(row.component(), row.parametersBefore(), row.parametersAfter()))
                .toList(), scoringEvidence(), quality);
    }
}
