package io.reapomni.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Lets progress through at most once per interval, so that a model of many small files or a task of many layers does
 * not flood the job-events topic; the first report and the last one always pass, so a follower sees the start and the
 * end.
 */
public final class ProgressThrottle {
    private final Clock clock;
    private final Duration interval;
    private Instant lastReport = Instant.MIN;

    public ProgressThrottle(Clock clock, Duration interval) {
        this.clock = clock;
        this.interval = interval;
    }

    /** Whether a report passes now; {@code last} marks the final one, which always does. */
    public boolean allows(boolean last) {
        Instant now = clock.instant();
        if (last || lastReport.equals(Instant.MIN) || !now.isBefore(lastReport.plus(interval))) {
            lastReport = now;
            return true;
        }
        return false;
    }
}
