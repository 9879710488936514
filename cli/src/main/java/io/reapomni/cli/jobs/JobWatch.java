package io.reapomni.cli.jobs;

import io.reapomni.common.events.JobCompleted;
import io.reapomni.common.events.JobEvent;
import io.reapomni.common.events.JobFailed;
import io.reapomni.common.events.JobProgress;
import io.reapomni.common.events.PlanProposed;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;

/**
 * Follows one job on the job-events topic: shows its progress until {@code JobCompleted}, {@code PlanProposed} (a
 * dry run) or {@code JobFailed}.
 * Between polls it asks {@code health} whether whoever does the work is still there, so that a job on a stack
 * whose service died ends with a reason instead of waiting forever; and it gives up when the job's services say
 * nothing for longer than the patience allows, naming the service whose turn it was ({@link SilentService}).
 */
public final class JobWatch {

    /** Says why the job can no longer end, or nothing while it can. */
    @FunctionalInterface
    public interface Health {
        Health ASSUMED = () -> Optional.empty();

        Optional<String> problem();
    }

    private static final Duration POLL = Duration.ofMillis(500);

    private JobWatch() {
    }

    /**
     * @throws IOException when {@code health} reports a problem, the services stay silent past the patience, or the
     *                     total time passes first
     */
    public static JobOutcome follow(TopicReader events, String jobId, PrintWriter out, Health health,
                                    Patience patience) throws IOException {
        long started = System.nanoTime();
        long lastHeard = started;
        Optional<JobEvent> last = Optional.empty();
        try (ProgressDisplay display = ProgressDisplay.on(out)) {
            while (true) {
                for (JobEvent event : events.poll(POLL)) {
                    if (!event.jobId().equals(jobId)) {
                        continue;
                    }
                    lastHeard = System.nanoTime();
                    last = Optional.of(event);
                    if (event instanceof JobProgress progress) {
                        display.show(progress);
                    } else if (event instanceof JobCompleted completed) {
                        return new JobOutcome.Completed(completed);
                    } else if (event instanceof PlanProposed proposed) {
                        return new JobOutcome.Proposed(proposed);
                    } else if (event instanceof JobFailed failed) {
                        return new JobOutcome.Failed(failed);
                    }
                }
                Optional<String> problem = health.problem();
                if (problem.isPresent()) {
                    throw new IOException("job " + jobId + " cannot end: " + problem.get());
                }
                long now = System.nanoTime();
                if (patience.silence().isPresent() && now - lastHeard > patience.silence().get().toNanos()) {
                    throw new IOException("no event of job " + jobId + " for " + patience.silence().get().toSeconds()
                            + " s: " + SilentService.after(last) + ". It may still be running: reap-omni follow "
                            + jobId + " (--idle-timeout waits longer)");
                }
                if (patience.total().isPresent() && now - started > patience.total().get().toNanos()) {
                    throw new IOException("job " + jobId + " did not end within "
                            + patience.total().get().toSeconds() + " s; it may still be running: reap-omni follow "
                            + jobId);
                }
            }
        }
    }
}
