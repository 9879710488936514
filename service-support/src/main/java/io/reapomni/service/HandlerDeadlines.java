package io.reapomni.service;

import io.reapomni.common.events.JobPhase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.EnumMap;
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
    public HandlerDeadlines(ServiceConfig config) {
        this(config.deadline().planning(), config.deadline().calibration(), config.deadline().scoring(),
                config.deadline().writing(), config.deadline().evaluation(), config.deadline().stopGrace());
    }

    public HandlerDeadlines(Duration planning, Duration calibration, Duration scoring, Duration writing,
                            Duration evaluation, Duration stopGrace) {
        deadlines.put(JobPhase.PLANNING, planning);
        deadlines.put(JobPhase.CALIBRATION, calibration);
        deadlines.put(JobPhase.SCORING, scoring);
        deadlines.put(JobPhase.WRITING, writing);
        deadlines.put(JobPhase.EVALUATION, evaluation);
        deadlines.forEach((phase, deadline) -> ConfigChecks.positive(key(phase), deadline));
        this.stopGrace = ConfigChecks.positive("reap.deadline.stop-grace", stopGrace);
    }

    public Duration of(JobPhase phase) {
        return deadlines.get(phase);
    }

    public Duration stopGrace() {
        return stopGrace;
    }

    /** The setting's environment variable, for messages: what a person changes to give a phase longer. */
    public static String variable(JobPhase phase) {
        return ConfigChecks.variable(key(phase));
    }

    private static String key(JobPhase phase) {
        return "reap.deadline." + phase.id();
    }
}
