package io.reapomni.cli.jobs;

import io.reapomni.common.events.JobEvent;
import io.reapomni.common.events.JobProgress;

import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Who should have said something about a job, from the last thing it said: the service whose turn it is in the
 * choreography (DESIGN.md, Events). A request is planned by the strip service; after planning come the calibration
 * workers (a calibrated job) or the scoring service; scoring's tally of statistics waits for the workers until all
 * are in; scoring says that the plan goes to the shard writer, then hands it over; the shard writer reports as it
 * writes, and a job that evaluates its model waits for the calibration workers, then for the shard writer to record
 * their result.
 */
final class SilentService {

    private SilentService() {
    }

    /** Which service did not answer, and the last event when there was one. */
    static String after(Optional<JobEvent> last) {
        if (last.isEmpty()) {
            return "the strip service (strip-service) did not answer the request";
        }
        return whose(last.get()) + "; the last event, at " + last.get().timestamp().truncatedTo(ChronoUnit.SECONDS)
                + ", was " + describe(last.get());
    }

    private static String whose(JobEvent last) {
        if (!(last instanceof JobProgress progress)) {
            return "the services did not answer";
        }
        return switch (progress.phase()) {
            case PLANNING -> "after planning, neither the calibration workers (calibration-service) nor the scoring"
                    + " service (scoring-service) answered";
            case CALIBRATION -> progress.unit().equals("tasks") && progress.done() >= progress.total()
                    ? "the scoring service (scoring-service) did not answer once the statistics were in"
                    : "the calibration workers (calibration-service) did not answer";
            case SCORING -> progress.done() >= progress.total()
                    ? "the shard writer (shard-writer-service) did not answer"
                    : "the scoring service (scoring-service) did not answer";
            case WRITING -> "the shard writer (shard-writer-service) did not answer";
            case EVALUATION -> progress.unit().equals("steps") && progress.done() >= progress.total()
                    ? "the shard writer (shard-writer-service) did not record the evaluation"
                    : "the calibration workers (calibration-service) did not evaluate the written model";
        };
    }

    private static String describe(JobEvent event) {
        if (event instanceof JobProgress progress) {
            return progress.phase().id() + " " + progress.done() + " of " + progress.total() + " " + progress.unit()
                    + (progress.detail().isBlank() ? "" : " (" + progress.detail() + ")");
        }
        return event.getClass().getSimpleName();
    }
}
