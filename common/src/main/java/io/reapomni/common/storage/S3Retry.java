package io.reapomni.common.storage;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.failsafe.RetryPolicyBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one S3 request under the {@link RetrySettings}: a {@link TransientFailures transient} failure is tried again
 * after an exponential backoff with jitter, and each retry is logged with what failed; any other failure, or the last
 * transient one, is turned into an IOException that names the request (and, after retries, how many attempts were
 * made).
 */
final class S3Retry {
    private static final Logger LOG = LoggerFactory.getLogger(S3Retry.class);
    private static final double JITTER = 0.5;

    private final RetrySettings settings;

    S3Retry(RetrySettings settings) {
        this.settings = settings;
    }

    /** One try of a request: sends it and waits for its answer, throwing whatever the SDK or the network threw. */
    @FunctionalInterface
    interface Attempt<T> {
        T run() throws Exception;
    }

    /** Turns the final failure into an IOException naming the request. */
    @FunctionalInterface
    interface Translation {
        IOException translate(Throwable failure);
    }

    <T> T call(String request, Attempt<T> attempt, Translation translation) throws IOException {
        AtomicInteger attempts = new AtomicInteger();
        try {
            return Failsafe.with(policy(request)).get(() -> {
                attempts.incrementAndGet();
                return attempt.run();
            });
        } catch (FailsafeException e) {
            throw failure(e.getCause() == null ? e : e.getCause(), attempts.get(), translation);
        } catch (RuntimeException e) {
            throw failure(e, attempts.get(), translation);
        }
    }

    private IOException failure(Throwable cause, int attempts, Translation translation) {
        IOException translated = translation.translate(cause);
        if (attempts > 1 && TransientFailures.isTransient(cause)) {
            return new S3RetriesExhaustedException(translated.getMessage() + " (gave up after " + attempts
                    + " attempts)", translated.getCause() == null ? cause : translated.getCause());
        }
        return translated;
    }

    private RetryPolicy<Object> policy(String request) {
        RetryPolicyBuilder<Object> builder = RetryPolicy.builder()
                .handleIf((result, failure) -> failure != null && TransientFailures.isTransient(failure))
                .withMaxAttempts(settings.attempts())
                .withJitter(JITTER)
                .onRetryScheduled(event -> LOG.warn("{} failed ({}); attempt {} of {} in {} ms", request,
                        S3Errors.describe(S3Errors.unwrap(event.getLastException())), event.getAttemptCount() + 1,
                        settings.attempts(), event.getDelay().toMillis()));
        if (settings.maxDelay().compareTo(settings.baseDelay()) > 0) {
            builder.withBackoff(settings.baseDelay(), settings.maxDelay());
        } else {
            builder.withDelay(settings.baseDelay());
        }
        return builder.build();
    }
}
