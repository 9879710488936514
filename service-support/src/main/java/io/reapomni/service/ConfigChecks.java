package io.reapomni.service;

import java.time.Duration;
import java.util.Locale;

/**
 * Range checks of configured values, whose refusals name what a person changes: the environment variable first (how
 * deployments set it), then the key (how properties files set it), as in
 * {@code REAP_CALIBRATION_WORKERS (reap.calibration.workers) is 0; it must be at least 1}. A service checks its
 * settings when it starts, so that a bad value stops it there rather than failing its first job.
 */
public final class ConfigChecks {

    private ConfigChecks() {
    }

    /** The environment variable that Quarkus reads for {@code key}: upper case, every other character an underscore. */
    public static String variable(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /** {@code VARIABLE (key)}, for messages about the setting. */
    public static String setting(String key) {
        return variable(key) + " (" + key + ")";
    }

    /** @throws IllegalArgumentException naming the setting when {@code value} is below {@code least} */
    public static int atLeast(String key, int value, int least) {
        return Math.toIntExact(atLeast(key, (long) value, least));
    }

    /** @throws IllegalArgumentException naming the setting when {@code value} is below {@code least} */
    public static long atLeast(String key, long value, long least) {
        if (value < least) {
            throw new IllegalArgumentException(setting(key) + " is " + value + "; it must be at least " + least);
        }
        return value;
    }

    /** @throws IllegalArgumentException naming the setting when {@code value} is zero or negative */
    public static Duration positive(String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(setting(key) + " is " + value + "; it must be longer than zero");
        }
        return value;
    }

    /** @throws IllegalArgumentException naming the setting when {@code value} is negative */
    public static Duration notNegative(String key, Duration value) {
        if (value.isNegative()) {
            throw new IllegalArgumentException(setting(key) + " is " + value + "; it must not be negative");
        }
        return value;
    }
}
