package io.reapomni.cli.jobs;

import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.Optional;

/** --idle-timeout: how long a command following a job waits for the services to say something about it. */
public final class IdleTimeoutOption {

    /** Longer than any step that passes without an event: a calibration layer, a large file, planning. */
    public static final long DEFAULT_SECONDS = 1800;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", defaultValue = "" + DEFAULT_SECONDS,
            description = "Give up when the job's services send no event for this long, naming the service that"
                    + " did not answer (default: ${DEFAULT-VALUE}; 0: wait as long as it takes).")
    long idleTimeoutSeconds = DEFAULT_SECONDS;

    /** @throws IllegalArgumentException for a negative value */
    public Optional<Duration> silence() {
        if (idleTimeoutSeconds < 0) {
            throw new IllegalArgumentException("--idle-timeout must be 0 or more seconds, not " + idleTimeoutSeconds);
        }
        return idleTimeoutSeconds == 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(idleTimeoutSeconds));
    }
}
