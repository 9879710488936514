package io.reapomni.service;

import io.smallrye.config.ConfigMapping;

import java.time.Duration;
import java.util.Optional;

/**
 * The configuration every service shares, typed: {@code META-INF/microprofile-config.properties} gives the defaults
 * and names the environment variables that set them ({@code REAP_DEADLINE_*}, {@code REAP_FATAL_EXIT_HALT_AFTER},
 * {@code REAP_LOCAL_ROOTS}); Quarkus reads {@code REAP_S3_*} for {@code reap.s3.*} itself.
 */
@ConfigMapping(prefix = "reap")
public interface ServiceConfig {

    /** How long one message's handling may take, by job phase ({@link HandlerDeadlines}). */
    Deadline deadline();

    /** The exit after a fatal error ({@link ServiceExit}). */
    FatalExit fatalExit();

    /** Where jobs' {@code s3://} locations are ({@link StorageSettings}); read when a job names one. */
    S3 s3();

    /** The local folders that jobs may name ({@code LocalRoots} syntax); none when empty. */
    Optional<String> localRoots();

    interface Deadline {
        Duration planning();

        Duration calibration();

        Duration scoring();

        Duration writing();

        Duration evaluation();

        /** How long a handler may run on after its deadline's interrupt before the service exits. */
        Duration stopGrace();
    }

    interface FatalExit {
        /** How long a shutdown after a fatal error may hang before the process halts; zero never halts (tests). */
        Duration haltAfter();
    }

    interface S3 {
        Optional<String> endpoint();

        Optional<String> region();

        Optional<String> accessKey();

        Optional<String> secretKey();

        Retry retry();

        interface Retry {
            Optional<String> attempts();

            Optional<String> baseDelayMs();

            Optional<String> maxDelayMs();
        }
    }
}
