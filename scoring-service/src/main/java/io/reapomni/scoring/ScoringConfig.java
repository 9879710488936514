package io.reapomni.scoring;

import io.smallrye.config.ConfigMapping;

import java.time.Duration;

/**
 * The scoring service's own settings, typed: {@code application.properties} gives the defaults and names the
 * environment variables that set them ({@code REAP_STATE_LOCATION}, {@code REAP_SCORING_CALIBRATION_DEADLINE}). The
 * settings every service shares are service-support's {@code ServiceConfig}; how often overdue jobs are looked for
 * ({@code reap.scoring.deadline-check-every}) is the schedule's expression in {@link ScoringService}.
 */
@ConfigMapping(prefix = "reap")
public interface ScoringConfig {

    State state();

    Scoring scoring();

    interface State {
        /** Where calibrated jobs wait for their statistics: a folder or {@code s3://bucket/prefix}. */
        String location();
    }

    interface Scoring {
        /** How long after it was planned a calibrated job may wait for all its statistics. */
        Duration calibrationDeadline();
    }
}
