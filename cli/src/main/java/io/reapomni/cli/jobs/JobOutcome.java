package io.reapomni.cli.jobs;

import io.reapomni.common.events.JobCompleted;
import io.reapomni.common.events.JobFailed;
import io.reapomni.common.events.PlanProposed;

/** How a followed job ended. */
public sealed interface JobOutcome {

    record Completed(JobCompleted event) implements JobOutcome {
    }

    /** A dry run's end: the plan it would execute. */
    record Proposed(PlanProposed event) implements JobOutcome {
    }

    record Failed(JobFailed event) implements JobOutcome {
    }
}
