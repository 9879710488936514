package io.reapomni.cli.jobs;

import io.reapomni.common.events.JobCompleted;
import io.reapomni.common.events.JobFailed;

/** How a followed job ended. */
public sealed interface JobOutcome {

    record Completed(JobCompleted event) implements JobOutcome {
    }

    record Failed(JobFailed event) implements JobOutcome {
    }
}
