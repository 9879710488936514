package io.reapomni.common.report;

import io.reapomni.common.plan.ScoringEvidence;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The audio-affinity heatmap: a row per decoder layer, a cell per expert, coloured by the expert's affinity relative
 * to its layer's range (scores differ in scale from layer to layer; the ranking inside a layer is what decides), the
 * kept experts outlined. Layers the plan drops have no expert scores and show as a shaded row.
 */
final class AffinityHeatmap {
    private static final double LEFT = 78;
    private static final double TOP = 80;
    private static final double PLOT_WIDTH = 640;

    private AffinityHeatmap() {
    }

    static byte[] render(String stack, ScoringEvidence.ExpertScores scores, List<Integer> droppedLayers) {
        int experts = scores.layers().isEmpty() ? 0 : scores.layers().get(0).experts().size();
        TreeSet<Integer> rows = new TreeSet<>(droppedLayers);
        scores.layers().forEach(layer -> rows.add(layer.layer()));
        double cell = Math.max(3, Math.min(28, PLOT_WIDTH / Math.max(1, experts)));
        double rowHeight = Math.max(6, Math.min(24, 560.0 / Math.max(1, rows.size())));
        String title = "Audio affinity, " + stack + ": " + scores.keptPerLayer() + " of " + experts
                + " experts kept per layer (outlined)";
        String formula = scores.affinity();
        String legend = "colour: affinity within its layer, dark = lowest, yellow = highest; shaded rows: dropped"
                + " layers";
        double width = Math.max(LEFT + cell * experts, LEFT + Math.max(Svg.textWidth(title, 13),
                Math.max(Svg.textWidth(formula, 11), Svg.textWidth(legend, 11)))) + 24;
        double height = TOP + rowHeight * rows.size() + 40;
        Svg svg = new Svg(width, height, "Audio affinity of every expert, " + stack);
        svg.text(LEFT, 20, title, "start", 13);
        svg.text(LEFT, 38, formula, "start", 11);
        svg.text(LEFT, 54, legend, "start", 11);
        int labelEvery = Math.max(1, (int) Math.ceil(16 / cell));
        for (int expert = 0; expert < experts; expert += labelEvery) {
            svg.text(LEFT + (expert + 0.5) * cell, TOP - 6, String.valueOf(expert), "middle", 9);
        }
        int row = 0;
        for (int layer : rows) {
            double y = TOP + row++ * rowHeight;
            svg.text(LEFT - 8, y + rowHeight * 0.75, "layer " + layer, "end", Math.min(11, rowHeight));
            ScoringEvidence.LayerExperts scored = scores.layers().stream().filter(l -> l.layer() == layer)
                    .findFirst().orElse(null);
            if (scored == null) {
                svg.rect(LEFT, y, cell * experts, rowHeight - 1, "dropped-layer", Palette.DROPPED,
                        "layer " + layer + ": dropped by the plan", Map.of("layer", String.valueOf(layer)));
                continue;
            }
            double low = scored.experts().stream().mapToDouble(ScoringEvidence.ExpertScore::affinity).min()
                    .orElse(0);
            double high = scored.experts().stream().mapToDouble(ScoringEvidence.ExpertScore::affinity).max()
                    .orElse(0);
            for (ScoringEvidence.ExpertScore score : scored.experts()) {
                double relative = high > low ? (score.affinity() - low) / (high - low) : 0.5;
                svg.rect(LEFT + score.expert() * cell, y, cell - 0.5, rowHeight - 1,
                        score.kept() ? "cell kept" : "cell", Palette.ramp(relative),
                        score.kept() ? Palette.KEPT : null,
                        String.format(Locale.ROOT, "layer %d, expert %d: A = %.6g (S1 %.6g, S2 %.6g, S3 %.6g), %s",
                                layer, score.expert(), score.affinity(), score.s1(), score.s2(), score.s3(),
                                score.kept() ? "kept" : "dropped"),
                        Map.of("layer", String.valueOf(layer), "expert", String.valueOf(score.expert()),
                                "affinity", Double.toString(score.affinity()), "kept", String.valueOf(score.kept())));
            }
        }
        svg.text(LEFT, height - 14, "expert id →", "start", 10);
        return svg.bytes();
    }
}
