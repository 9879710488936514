package io.reapomni.common.report;

/** Colours of the report's figures: a perceptually ordered ramp for values, and a few fixed ones. */
final class Palette {
    static final String BEFORE = "#b8b8b8";
    static final String AFTER = "#2a7ab8";
    static final String KEPT = "#111111";
    static final String DROPPED = "#e7b7b7";
    static final String LINE = "#2a7ab8";
    static final String GRID = "#dddddd";
    static final String TEXT = "#333333";
    static final String WARNING = "#c0392b";

    /** Viridis at five stops, from low (dark purple) to high (yellow). */
    private static final int[][] RAMP = {
            {68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};

    private Palette() {
    }

    /** The ramp's colour at {@code value} in [0, 1] (clamped), as {@code #rrggbb}. */
    static String ramp(double value) {
        double t = Double.isNaN(value) ? 0 : Math.max(0, Math.min(1, value)) * (RAMP.length - 1);
        int low = Math.min((int) Math.floor(t), RAMP.length - 2);
        double frac = t - low;
        int[] rgb = new int[3];
        for (int c = 0; c < 3; c++) {
            rgb[c] = (int) Math.round(RAMP[low][c] + frac * (RAMP[low + 1][c] - RAMP[low][c]));
        }
        return String.format("#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
    }
}
