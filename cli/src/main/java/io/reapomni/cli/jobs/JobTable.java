package io.reapomni.cli.jobs;

import io.reapomni.common.events.JobCompleted;
import io.reapomni.common.events.JobEvent;
import io.reapomni.common.events.JobFailed;
import io.reapomni.common.events.PlanProposed;
import io.reapomni.common.events.JobProgress;
import io.reapomni.common.events.PruneRequested;
import io.reapomni.common.storage.StoreLocation;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The jobs that the requests and job-events topics tell of, each in its latest known state. */
final class JobTable {

    /** One job: where it stands after the events seen so far. */
    record Row(String jobId, Instant updated, String state, String model, String detail) {
    }

    private final Map<String, Row> rows = new LinkedHashMap<>();

    static JobTable of(List<JobEvent> events) {
        JobTable table = new JobTable();
        events.stream().sorted(Comparator.comparing(JobEvent::timestamp)).forEach(table::add);
        return table;
    }

    /** The {@code limit} most recently updated jobs, newest first. */
    List<Row> recent(int limit) {
        return rows.values().stream().sorted(Comparator.comparing(Row::updated).reversed()).limit(limit).toList();
    }

    private void add(JobEvent event) {
        Row before = rows.getOrDefault(event.jobId(), new Row(event.jobId(), event.timestamp(), "", "?", ""));
        rows.put(event.jobId(), next(before, event));
    }

    private static Row next(Row before, JobEvent event) {
        if (event instanceof PruneRequested requested) {
            // A redelivered request names the model again and never undoes the state that the job reached.
            return new Row(event.jobId(), before.state().isEmpty() ? event.timestamp() : before.updated(),
                    before.state().isEmpty() ? "requested" : before.state(),
                    requested.request().modelPath().toString(), before.detail().isEmpty()
                            ? "→ " + requested.request().outputPath().map(StoreLocation::toString).orElse("")
                            : before.detail());
        }
        if (event instanceof JobProgress progress) {
            return new Row(event.jobId(), event.timestamp(), progress.phase().id(), before.model(),
                    progress.done() + "/" + progress.total() + " " + progress.unit());
        }
        if (event instanceof JobCompleted completed) {
            return new Row(event.jobId(), event.timestamp(), "completed", before.model(), "→ " + completed.outputPath());
        }
        if (event instanceof PlanProposed) {
            return new Row(event.jobId(), event.timestamp(), "plan proposed", before.model(), "dry run: nothing written");
        }
        if (event instanceof JobFailed failed) {
            return new Row(event.jobId(), event.timestamp(), "failed", before.model(), failed.reason());
        }
        return before;
    }
}
