package io.reapomni.common.report;

import io.reapomni.common.evaluation.QualityAverage;
import io.reapomni.common.evaluation.QualityReport;
import io.reapomni.common.evaluation.SampleQuality;

import java.util.Locale;
import java.util.Map;

/**
 * The quality of the written model per held-out sample, and on average: on the left the mean KL divergence of its
 * next-token distributions from the original's, on the right how often both models' most likely next token agree.
 */
final class QualityChart {
    private static final double LEFT = 150;
    private static final double TOP = 58;
    private static final double PANEL = 250;
    private static final double GAP = 90;
    private static final double BAR = 14;
    private static final double ROW = 20;

    private QualityChart() {
    }

    static byte[] render(QualityReport report) {
        QualityAverage average = report.average().orElseThrow(() -> new IllegalArgumentException(
                "a quality chart needs evaluated samples"));
        int rows = report.samples().size() + 1;
        double height = TOP + ROW * rows + 40;
        double largestKl = Math.max(1e-12, report.samples().stream().mapToDouble(SampleQuality::klMean).max()
                .orElse(0));
        Svg svg = new Svg(LEFT + 2 * PANEL + GAP + 70, height, "Quality per held-out sample");
        svg.text(LEFT, 20, String.format(Locale.ROOT, "Quality on %d held-out samples: KL %.3g nats/token, top-1"
                + " agreement %.1f%%", average.samples(), average.klMean(), 100 * average.top1Agreement()), "start",
                13);
        svg.text(LEFT, 40, "mean KL(original ‖ pruned), nats; lower is closer", "start", 11);
        svg.text(LEFT + PANEL + GAP, 40, "top-1 agreement; higher is closer", "start", 11);
        double y = TOP;
        for (SampleQuality sample : report.samples()) {
            row(svg, y, sample.id(), sample.klMean(), sample.top1Agreement(), largestKl, "sample");
            y += ROW;
        }
        row(svg, y + 4, "average", average.klMean(), average.top1Agreement(), largestKl, "average");
        return svg.bytes();
    }

    private static void row(Svg svg, double y, String label, double kl, double agreement, double largestKl,
                            String kind) {
        String shown = label.length() > 22 ? label.substring(0, 21) + "…" : label;
        svg.text(LEFT - 8, y + BAR - 3, shown, "end", 11);
        double klWidth = PANEL * kl / largestKl;
        svg.rect(LEFT, y, Math.max(0.5, klWidth), BAR, kind + " kl", Palette.AFTER,
                String.format(Locale.ROOT, "%s: KL %.6g nats/token", label, kl),
                Map.of("sample", label, "kl", Double.toString(kl)));
        svg.text(LEFT + klWidth + 4, y + BAR - 3, String.format(Locale.ROOT, "%.3g", kl), "start", 10);
        double x = LEFT + PANEL + GAP;
        svg.rect(x, y, PANEL, BAR, "track", Palette.GRID, null, Map.of());
        svg.rect(x, y, Math.max(0.5, PANEL * agreement), BAR, kind + " top1", Palette.AFTER,
                String.format(Locale.ROOT, "%s: top-1 agreement %.1f%%", label, 100 * agreement),
                Map.of("sample", label, "top1", Double.toString(agreement)));
        svg.text(x + PANEL + 4, y + BAR - 3, String.format(Locale.ROOT, "%.1f%%", 100 * agreement), "start", 10);
    }
}
