package io.reapomni.cli.prune;

import io.reapomni.common.plan.ScoringEvidence;

import java.io.PrintWriter;
import java.util.stream.Collectors;

/**
 * A few lines on what a calibrated job chose and from what data; the full tables (every expert's scores) are long
 * for the real model, so they stay in the report and {@code reap-omni scores}.
 */
public final class ScoringSummary {

    private ScoringSummary() {
    }

    public static void print(PrintWriter out, ScoringEvidence evidence) {
        out.println("Calibration data: " + evidence.calibrationData().stream()
                .map(data -> data.modality() + " " + data.samples() + " samples (" + data.tokens() + " tokens, "
                        + data.skipped().size() + " skipped)")
                .collect(Collectors.joining("; ")));
        evidence.experts().ifPresent(experts -> out.printf("Experts (%s): %d kept per layer (retention %s) by %s%n",
                evidence.stack(), experts.keptPerLayer(), experts.retentionRate(), experts.affinity()));
        evidence.layers().ifPresent(layers -> out.printf("Layers: %s dropped (threshold %s, at most %d, %s"
                        + " blocks measured on %s data)%n", layers.droppedLayers().isEmpty() ? "none"
                        : layers.droppedLayers().toString(), layers.threshold(), layers.maxLayers(),
                layers.blocks().size(), layers.measuredOn()));
    }
}
