package io.reapomni.common.report;

import io.reapomni.common.plan.ScoringEvidence;

import java.util.Locale;
import java.util.Map;

/**
 * The layer-similarity curve: for every block of layers, the mean cosine between the stream entering its first layer
 * and the stream leaving its last, drawn at the block's first layer; the threshold as a dashed line, the blocks the
 * plan drops shaded.
 */
final class SimilarityCurve {
    private static final double LEFT = 64;
    private static final double TOP = 72;
    private static final double PLOT_WIDTH = 620;
    private static final double PLOT_HEIGHT = 260;

    private SimilarityCurve() {
    }

    static byte[] render(String stack, ScoringEvidence.LayerScores scores) {
        int layers = scores.blocks().stream().mapToInt(ScoringEvidence.BlockScore::lastLayer).max().orElse(0) + 1;
        double low = Math.min(scores.threshold(), scores.blocks().stream()
                .mapToDouble(ScoringEvidence.BlockScore::meanCosine).min().orElse(scores.threshold()));
        low = Math.max(-1, Math.floor((low - 0.05) * 10) / 10);
        double high = 1;
        double perLayer = PLOT_WIDTH / Math.max(1, layers);
        Svg svg = new Svg(LEFT + PLOT_WIDTH + 30, TOP + PLOT_HEIGHT + 56, "Layer similarity, " + stack);
        svg.text(LEFT, 20, "Layer similarity, " + stack + ", measured on " + scores.measuredOn() + " data", "start",
                13);
        svg.text(LEFT, 38, "mean cosine between the stream entering a block's first layer and leaving its last;"
                + " blocks of " + scores.blockSize() + (scores.blockSize() == 1 ? " layer" : " layers"), "start", 11);
        svg.text(LEFT, 54, "shaded: dropped (" + (scores.droppedLayers().isEmpty() ? "none"
                : "layers " + scores.droppedLayers()) + "); dashed: threshold "
                + String.format(Locale.ROOT, "%.3g", scores.threshold()), "start", 11);
        for (ScoringEvidence.BlockScore block : scores.blocks()) {
            if (block.status() == ScoringEvidence.BlockStatus.CHOSEN) {
                svg.rect(LEFT + block.firstLayer() * perLayer, TOP,
                        (block.lastLayer() - block.firstLayer() + 1) * perLayer, PLOT_HEIGHT, "dropped",
                        Palette.DROPPED, "layers " + block.firstLayer() + "–" + block.lastLayer() + ": dropped",
                        Map.of("first", String.valueOf(block.firstLayer()), "last",
                                String.valueOf(block.lastLayer())));
            }
        }
        int step = high - low > 1 ? 2 : 1;
        for (int tenth = 10; tenth >= low * 10 - 1e-9; tenth -= step) {
            double tick = tenth / 10.0;
            double y = y(tick, low, high);
            svg.line(LEFT, y, LEFT + PLOT_WIDTH, y, Palette.GRID, false);
            svg.text(LEFT - 6, y + 4, String.format(Locale.ROOT, "%.1f", tick), "end", 10);
        }
        double thresholdY = y(scores.threshold(), low, high);
        svg.line(LEFT, thresholdY, LEFT + PLOT_WIDTH, thresholdY, Palette.WARNING, true);
        double[] xs = new double[scores.blocks().size()];
        double[] ys = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            ScoringEvidence.BlockScore block = scores.blocks().get(i);
            xs[i] = LEFT + (block.firstLayer() + 0.5) * perLayer;
            ys[i] = y(block.meanCosine(), low, high);
        }
        svg.polyline(xs, ys, "curve", Palette.LINE);
        for (int i = 0; i < xs.length; i++) {
            ScoringEvidence.BlockScore block = scores.blocks().get(i);
            svg.circle(xs[i], ys[i], 3.5, "block", Palette.LINE,
                    String.format(Locale.ROOT, "layers %d–%d: mean cosine %.6g, %s", block.firstLayer(),
                            block.lastLayer(), block.meanCosine(), block.status().id()),
                    Map.of("first", String.valueOf(block.firstLayer()), "last", String.valueOf(block.lastLayer()),
                            "cosine", Double.toString(block.meanCosine()), "status", block.status().id()));
        }
        int labelEvery = Math.max(1, (int) Math.ceil(20 / perLayer));
        for (int layer = 0; layer < layers; layer += labelEvery) {
            svg.text(LEFT + (layer + 0.5) * perLayer, TOP + PLOT_HEIGHT + 16, String.valueOf(layer), "middle", 10);
        }
        svg.text(LEFT + PLOT_WIDTH / 2, TOP + PLOT_HEIGHT + 38, "first layer of the block", "middle", 11);
        return svg.bytes();
    }

    private static double y(double value, double low, double high) {
        return TOP + PLOT_HEIGHT * (high - value) / (high - low);
    }
}
