package io.reapomni.common.format;

import java.util.Locale;

/** Sizes, counts and rates as people read them, in reports, progress bars and the CLI. */
public final class Units {
    private static final String[] BYTE_UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};

    private Units() {
    }

    /** 1536 → "1.5 KiB"; binary units, since shard and memory sizes are. */
    public static String bytes(long bytes) {
        double value = bytes;
        int unit = 0;
        while (Math.abs(value) >= 1024 && unit < BYTE_UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, BYTE_UNITS[unit]);
    }

    /** 30_532_000_000 → "30.53B"; parameter counts as model cards write them. */
    public static String count(long count) {
        if (Math.abs(count) >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.2fB", count / 1e9);
        }
        if (Math.abs(count) >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.2fM", count / 1e6);
        }
        if (Math.abs(count) >= 1_000L) {
            return String.format(Locale.ROOT, "%.1fK", count / 1e3);
        }
        return Long.toString(count);
    }

    /** Bytes per second over {@code seconds}, e.g. "812.4 MiB/s". */
    public static String rate(long bytes, double seconds) {
        return seconds <= 0 ? "-" : bytes((long) (bytes / seconds)) + "/s";
    }

    /** An age in the largest whole unit: "7 days", "12 hours", "90 minutes", "45 seconds". */
    public static String age(java.time.Duration age) {
        if (age.toDays() > 0 && age.toHours() % 24 == 0) {
            return plural(age.toDays(), "day");
        }
        if (age.toHours() > 0 && age.toMinutes() % 60 == 0) {
            return plural(age.toHours(), "hour");
        }
        if (age.toMinutes() > 0 && age.toSeconds() % 60 == 0) {
            return plural(age.toMinutes(), "minute");
        }
        return plural(age.toSeconds(), "second");
    }

    private static String plural(long count, String unit) {
        return count + " " + unit + (count == 1 ? "" : "s");
    }

    /** "-37.5%" for 625 after 1000; the change from {@code before} to {@code after}. */
    public static String change(long before, long after) {
        return before == 0 ? "-" : String.format(Locale.ROOT, "%+.1f%%", 100.0 * (after - before) / before);
    }
}
