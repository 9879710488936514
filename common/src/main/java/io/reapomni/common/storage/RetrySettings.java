package io.reapomni.common.storage;

import java.time.Duration;
import java.util.Map;

/**
 * How often and how patiently a request to S3 is tried again after a transient failure (a 5xx answer, throttling, a
 * dropped or refused connection, a timeout): up to {@code attempts} tries in all, waiting an exponentially growing
 * delay between them, starting at {@code baseDelay} and capped at {@code maxDelay}, each varied by a random half of
 * itself so that many writers do not retry in step. The defaults ride out a restarting MinIO pod or a throttling burst
 * (about 30 s of waiting in all) without leaving a job hanging on an endpoint that is gone.
 */
public record RetrySettings(int attempts, Duration baseDelay, Duration maxDelay) {
    public static final String ATTEMPTS_VARIABLE = "REAP_S3_RETRY_ATTEMPTS";
    public static final String BASE_DELAY_VARIABLE = "REAP_S3_RETRY_BASE_DELAY_MS";
    public static final String MAX_DELAY_VARIABLE = "REAP_S3_RETRY_MAX_DELAY_MS";

    // Before the constants below, which the constructor checks against them.
    private static final int MAX_ATTEMPTS = 100;
    private static final Duration LONGEST_DELAY = Duration.ofMinutes(10);

    public static final RetrySettings DEFAULT = new RetrySettings(8, Duration.ofMillis(250), Duration.ofSeconds(15));
    /** One attempt: no retry. */
    public static final RetrySettings NONE = new RetrySettings(1, Duration.ofMillis(1), Duration.ofMillis(1));

    public RetrySettings {
        if (attempts < 1 || attempts > MAX_ATTEMPTS) {
            throw new IllegalArgumentException("S3 retry attempts must be 1 to " + MAX_ATTEMPTS + ", not " + attempts);
        }
        if (baseDelay.isNegative() || baseDelay.isZero() || maxDelay.compareTo(baseDelay) < 0
                || maxDelay.compareTo(LONGEST_DELAY) > 0) {
            throw new IllegalArgumentException("S3 retry delays need 0 < base delay <= max delay <= "
                    + LONGEST_DELAY.toMinutes() + " min; got " + baseDelay.toMillis() + " ms and "
                    + maxDelay.toMillis() + " ms");
        }
    }

    /** The settings the variables name, {@link #DEFAULT}'s values for the ones not set. */
    public static RetrySettings fromEnvironment(Map<String, String> environment) {
        long attempts = number(environment, ATTEMPTS_VARIABLE, DEFAULT.attempts);
        try {
            return new RetrySettings((int) Math.min(attempts, Integer.MAX_VALUE),
                    Duration.ofMillis(number(environment, BASE_DELAY_VARIABLE, DEFAULT.baseDelay.toMillis())),
                    Duration.ofMillis(number(environment, MAX_DELAY_VARIABLE, DEFAULT.maxDelay.toMillis())));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(ATTEMPTS_VARIABLE + ", " + BASE_DELAY_VARIABLE + " and " + MAX_DELAY_VARIABLE
                    + " do not fit together: " + e.getMessage(), e);
        }
    }

    private static long number(Map<String, String> environment, String variable, long fallback) {
        String value = environment.get(variable);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException(variable + " is not a whole number: \"" + value + "\"", e);
        }
    }
}
