package io.reapomni.scoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reapomni.common.events.CalibrationStatsReported;
import io.reapomni.common.events.JobEvent;

import java.time.Instant;

/**
 * Calibration statistics documents for the fixture model (6 MoE layers of 8 experts), in the calibration engine's
 * format, as a calibration worker publishes them.
 */
public final class StatsDocuments {
    static final int LAYERS = 6;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private StatsDocuments() {
    }

    /**
     * One task's audio statistics: {@code samples} samples of {@code tokens} tokens, and in every layer each expert
     * routed once with saliency sum {@code saliency[e]}.
     */
    public static JsonNode audio(long samples, long tokens, double... saliency) {
        ObjectNode audio = NODES.objectNode().put("samples", samples).put("tokens", tokens);
        audio.putArray("skipped");
        ArrayNode experts = audio.putArray("experts");
        for (int layer = 0; layer < LAYERS; layer++) {
            ObjectNode entry = experts.addObject().put("layer", layer);
            ArrayNode sums = entry.putArray("saliency_sum");
            ArrayNode counts = entry.putArray("routed_count");
            ArrayNode gates = entry.putArray("gate_weight_sum");
            for (double value : saliency) {
                sums.add(value);
                counts.add(1);
                gates.add(0.5);
            }
        }
        audio.putArray("cosine");
        return document(audio);
    }

    /** Audio statistics of a task whose samples were all skipped. */
    public static JsonNode allSkipped(String sampleId, String reason) {
        ObjectNode audio = NODES.objectNode().put("samples", 0).put("tokens", 0);
        audio.putArray("skipped").addObject().put("id", sampleId).put("reason", reason);
        audio.putArray("experts");
        audio.putArray("cosine");
        return document(audio);
    }

    public static CalibrationStatsReported task(String jobId, String taskId, int tasks, JsonNode stats) {
        return new CalibrationStatsReported(jobId, JobEvent.SCHEMA_VERSION, Instant.now(), taskId, tasks, stats);
    }

    private static JsonNode document(ObjectNode audio) {
        ObjectNode document = NODES.objectNode();
        document.putObject("modalities").set("audio", audio);
        return document;
    }
}
