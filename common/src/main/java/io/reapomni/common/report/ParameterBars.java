package io.reapomni.common.report;

import io.reapomni.common.format.Units;

import java.util.List;
import java.util.Map;

/** Parameters per component before and after the rewrite, as pairs of horizontal bars on one scale. */
final class ParameterBars {
    private static final double LEFT = 120;
    private static final double TOP = 52;
    private static final double PLOT_WIDTH = 480;
    private static final double BAR = 14;
    private static final double GROUP = 2 * BAR + 14;

    private ParameterBars() {
    }

    static byte[] render(List<ComponentBar> components) {
        long before = components.stream().mapToLong(ComponentBar::before).sum();
        long after = components.stream().mapToLong(ComponentBar::after).sum();
        long largest = components.stream().mapToLong(row -> Math.max(row.before(), row.after()))
                .max().orElse(1);
        double height = TOP + GROUP * components.size() + 30;
        Svg svg = new Svg(LEFT + PLOT_WIDTH + 140, height, "Parameters per component");
        svg.text(LEFT, 20, "Parameters per component: " + Units.count(before) + " → " + Units.count(after) + " ("
                + Units.change(before, after) + ")", "start", 13);
        svg.rect(LEFT, 30, 10, 10, "legend", Palette.BEFORE, null, Map.of());
        svg.text(LEFT + 14, 39, "before", "start", 11);
        svg.rect(LEFT + 70, 30, 10, 10, "legend", Palette.AFTER, null, Map.of());
        svg.text(LEFT + 84, 39, "after", "start", 11);
        double y = TOP;
        for (ComponentBar row : components) {
            svg.text(LEFT - 8, y + BAR + 4, row.component(), "end", 12);
            bar(svg, y, row.component(), "before", row.before(), largest, Palette.BEFORE);
            bar(svg, y + BAR + 2, row.component(), "after", row.after(), largest, Palette.AFTER);
            y += GROUP;
        }
        return svg.bytes();
    }

    private static void bar(Svg svg, double y, String component, String when, long parameters, long largest,
                            String colour) {
        double width = PLOT_WIDTH * parameters / (double) largest;
        svg.rect(LEFT, y, Math.max(0.5, width), BAR, when, colour, component + " " + when + ": "
                + Units.count(parameters) + " parameters", Map.of("component", component,
                "parameters", String.valueOf(parameters)));
        svg.text(LEFT + width + 6, y + BAR - 3, Units.count(parameters), "start", 10);
    }
}
