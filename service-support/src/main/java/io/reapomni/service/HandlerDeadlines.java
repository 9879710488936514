package io.reapomni.service;

import io.reapomni.common.events.JobPhase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * How long a service may take over one message of each job phase ({@code reap.deadline.planning},
 * {@code .calibration}, {@code .scoring}, {@code .writing}, {@code .evaluation}; {@code REAP_DEADLINE_PLANNING} and so
 * on), and how long a
 * handler interrupted at its deadline may take to stop before the service counts as stuck
 * ({@code reap.deadline.stop-grace}).
 */
@ApplicationScoped
public class HandlerDeadlines {

    private final Map<JobPhase, Duration> deadlines = new EnumMap<>(JobPhase.class);
    private final Duration stopGrace;

    @Inject
    public HandlerDeadlines(@ConfigProperty(name = "reap.deadline.planning") Duration planning,
                            @ConfigProperty(name = "reap.deadline.calibration") Duration calibration,
                            @ConfigProperty(name = "reap.deadline.scoring") Duration scoring,
                            @ConfigProperty(name = "reap.deadline.writing") Duration writing,
                            @ConfigProperty(name = "reap.deadline.evaluation") Duration evaluation,
                            @ConfigProperty(name = "reap.deadline.stop-grace") Duration stopGrace) {
        deadlines.put(JobPhase.PLANNING, planning);
        deadlines.put(JobPhase.CALIBRATION, calibration);
        deadlines.put(JobPhase.SCORING, scoring);
        deadlines.put(JobPhase.WRITING, writing);
        deadlines.put(JobPhase.EVALUATION, evaluation);
        deadlines.forEach((phase, deadline) -> requirePositive(deadline, "reap.deadline." + phase.id()));
        requirePositive(stopGrace, "reap.deadline.stop-grace");
        this.stopGrace = stopGrace;
    }

    public Duration of(JobPhase phase) {
        return deadlines.get(phase);
    }

    public Duration stopGrace() {
        return stopGrace;
    }

    /** The setting's environment variable, for messages: what a person changes to give a phase longer. */
    public static String variable(JobPhase phase) {
        return "REAP_DEADLINE_" + phase.name().toUpperCase(Locale.ROOT);
    }

    private static void requirePositive(Duration duration, String setting) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(setting + " must be positive, not " + duration);
        }
    }
}
