package io.reapomni.cli.jobs;

import java.time.Duration;
import java.util.Optional;

/**
 * How long to follow a job: at most {@code total} in all, and at most {@code silence} without an event of the job
 * (the services do not answer); empty for no bound.
 */
public record Patience(Optional<Duration> total, Optional<Duration> silence) {

    /** Waiting for as long as the job takes, while its services answer within {@code silence}. */
    public static Patience whileAnswering(Optional<Duration> silence) {
        return new Patience(Optional.empty(), silence);
    }
}
