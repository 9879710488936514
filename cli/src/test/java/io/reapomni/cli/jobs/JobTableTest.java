package io.reapomni.cli.jobs;

import io.reapomni.common.events.JobCompleted;
import io.reapomni.common.events.JobEvent;
import io.reapomni.common.events.JobFailed;
import io.reapomni.common.events.JobPhase;
import io.reapomni.common.events.JobProgress;
import io.reapomni.common.events.PruneRequested;
import io.reapomni.common.storage.StoreLocation;
import io.reapomni.common.testing.TestJobs;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class JobTableTest {

    private static final Instant T0 = Instant.parse("2026-11-29T12:00:00Z");

    @Test
    void eachJobShowsItsLatestStateNewestFirst() {
        List<JobEvent> events = List.of(
                requested("a", T0),
                new JobProgress("a", 1, T0.plusSeconds(1), JobPhase.WRITING, 10, 20, "bytes", "x"),
                new JobCompleted("a", 1, T0.plusSeconds(2), StoreLocation.parse("s3://out/a"), 5, 20, 100, 50, 1.5,
                        Optional.empty()),
                requested("b", T0.plusSeconds(3)),
                new JobFailed("b", 1, T0.plusSeconds(4), JobPhase.PLANNING, "no such model"),
                requested("c", T0.plusSeconds(5)));

        List<JobTable.Row> rows = JobTable.of(events).recent(10);

        assertThat(rows).extracting(JobTable.Row::jobId).containsExactly("c", "b", "a");
        assertThat(rows).extracting(JobTable.Row::state).containsExactly("requested", "failed", "completed");
        assertThat(rows.get(1).detail()).isEqualTo("no such model");
        assertThat(rows.get(2).model()).isEqualTo("s3://models/a");
    }

    @Test
    void aRedeliveredRequestDoesNotUndoTheStateItsJobReached() {
        List<JobEvent> events = List.of(
                requested("a", T0),
                new JobCompleted("a", 1, T0.plusSeconds(2), StoreLocation.parse("s3://out/a"), 5, 20, 100, 50, 1.5,
                        Optional.empty()),
                requested("a", T0.plusSeconds(3)));

        assertThat(JobTable.of(events).recent(10)).singleElement()
                .satisfies(row -> assertThat(row.state()).isEqualTo("completed"));
    }

    @Test
    void keepsOnlyTheMostRecentJobs() {
        List<JobEvent> events = List.of(requested("a", T0), requested("b", T0.plusSeconds(1)),
                requested("c", T0.plusSeconds(2)));

        assertThat(JobTable.of(events).recent(2)).extracting(JobTable.Row::jobId).containsExactly("c", "b");
    }

    private static PruneRequested requested(String jobId, Instant at) {
        return new PruneRequested(jobId, 1, at, TestJobs.request("s3://models/" + jobId, "s3://out/" + jobId,
                TestJobs.stripVision(), Optional.empty()));
    }
}
