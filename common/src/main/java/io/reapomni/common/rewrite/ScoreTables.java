package io.reapomni.common.rewrite;

import io.reapomni.common.plan.ScoringEvidence;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The scoring evidence of a calibrated plan as Markdown tables: the calibration data, per layer every expert's S1,
 * S2, S3 and affinity with whether it was kept, and the layer similarities with the chosen blocks. Shared by
 * {@code REPORT.md} and {@code reap-omni scores}.
 */
public final class ScoreTables {
    private ScoreTables() {
    }

    public static String render(ScoringEvidence evidence) {
        StringBuilder md = new StringBuilder();
        md.append("## Calibration data\n\n| modality | samples | tokens | skipped |\n|---|---:|---:|---:|\n");
        for (ScoringEvidence.ModalityData data : evidence.calibrationData()) {
            md.append("| ").append(data.modality()).append(" | ").append(data.samples()).append(" | ")
                    .append(data.tokens()).append(" | ").append(data.skipped().size()).append(" |\n");
        }
        List<String> skipped = evidence.calibrationData().stream()
                .flatMap(data -> data.skipped().stream().map(sample ->
                        "- " + data.modality() + " `" + sample.id() + "`: " + sample.reason()))
                .toList();
        if (!skipped.isEmpty()) {
            md.append("\nSkipped samples:\n\n").append(String.join("\n", skipped)).append("\n");
        }
        evidence.experts().ifPresent(experts -> appendExperts(evidence.stack(), experts, md));
        evidence.layers().ifPresent(layers -> appendLayers(evidence.stack(), layers, md));
        return md.toString();
    }

    private static void appendExperts(String stack, ScoringEvidence.ExpertScores experts, StringBuilder md) {
        md.append("\n## Expert scores: ").append(stack).append("\n\n")
                .append("- affinity: ").append(experts.affinity()).append(", λ = ").append(number(experts.lambda()))
                .append(", β = ").append(number(experts.beta())).append("\n")
                .append("- saliency: summed g·‖f‖ divided by ")
                .append(switch (experts.saliencyNormalization()) {
                    case REAP -> "the expert's routed tokens (REAP)";
                    case ALL_TOKENS -> "all tokens of the data set";
                })
                .append("\n- kept per layer: ").append(experts.keptPerLayer()).append(" (retention ")
                .append(number(experts.retentionRate())).append("), ranked by affinity, ties to the lower id\n");
        for (ScoringEvidence.LayerExperts layer : experts.layers()) {
            md.append("\n### Layer ").append(layer.layer()).append("\n\n")
                    .append("kept: ").append(ids(layer, true)).append("; dropped: ").append(ids(layer, false))
                    .append("\n\n| rank | expert | S1 audio | S2 video | S3 mixed | affinity | kept |\n")
                    .append("|---:|---:|---:|---:|---:|---:|---|\n");
            List<ScoringEvidence.ExpertScore> ranked = layer.experts().stream()
                    .sorted(Comparator.comparingDouble(ScoringEvidence.ExpertScore::affinity).reversed()
                            .thenComparingInt(ScoringEvidence.ExpertScore::expert))
                    .toList();
            for (int rank = 0; rank < ranked.size(); rank++) {
                ScoringEvidence.ExpertScore score = ranked.get(rank);
                md.append("| ").append(rank + 1).append(" | ").append(score.expert()).append(" | ")
                        .append(number(score.s1())).append(" | ").append(number(score.s2())).append(" | ")
                        .append(number(score.s3())).append(" | ").append(number(score.affinity())).append(" | ")
                        .append(score.kept() ? "yes" : "no").append(" |\n");
            }
        }
    }

    private static void appendLayers(String stack, ScoringEvidence.LayerScores layers, StringBuilder md) {
        md.append("\n## Layer similarity: ").append(stack).append("\n\n")
                .append("- mean cosine between the input of a block's first layer and the output of its last, on ")
                .append(layers.measuredOn()).append(" data; blocks of ").append(layers.blockSize())
                .append(layers.blockSize() == 1 ? " layer" : " layers").append("\n- threshold ")
                .append(number(layers.threshold())).append(", at most ").append(layers.maxLayers())
                .append(" layers dropped, first ").append(layers.protectFirst()).append(" and last ")
                .append(layers.protectLast()).append(" protected\n- dropped layers: ")
                .append(layers.droppedLayers().isEmpty() ? "none"
                        : layers.droppedLayers().stream().map(String::valueOf).collect(Collectors.joining(", ")))
                .append("\n\n| block | mean cosine | outcome |\n|---|---:|---|\n");
        for (ScoringEvidence.BlockScore block : layers.blocks()) {
            md.append("| ").append(block.firstLayer() == block.lastLayer() ? String.valueOf(block.firstLayer())
                            : block.firstLayer() + "–" + block.lastLayer())
                    .append(" | ").append(number(block.meanCosine())).append(" | ").append(block.status().id())
                    .append(" |\n");
        }
    }

    private static String ids(ScoringEvidence.LayerExperts layer, boolean kept) {
        String ids = layer.experts().stream().filter(score -> score.kept() == kept)
                .map(score -> String.valueOf(score.expert())).collect(Collectors.joining(", "));
        return ids.isEmpty() ? "-" : ids;
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.6g", value);
    }
}
