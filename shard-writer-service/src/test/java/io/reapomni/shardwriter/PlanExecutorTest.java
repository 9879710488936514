package io.reapomni.shardwriter;

import io.reapomni.common.events.JobCompleted;
import io.reapomni.common.events.JobEvent;
import io.reapomni.common.events.JobPhase;
import io.reapomni.common.events.JobProgress;
import io.reapomni.common.events.PlanReady;
import io.reapomni.common.plan.PruningPlan;
import io.reapomni.common.rewrite.RewriteFixture;
import io.reapomni.common.rewrite.StopSignal;
import io.reapomni.common.storage.LocalObjectStore;
import io.reapomni.common.storage.LocalRoots;
import io.reapomni.common.storage.S3Settings;
import io.reapomni.common.storage.StoreAccess;
import io.reapomni.common.storage.StoreLocation;
import io.reapomni.service.JobRejectedException;
import io.reapomni.service.JobStores;
import io.reapomni.service.ProgressThrottle;
import io.reapomni.testfixtures.TinyQwen3Omni;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlanExecutorTest {
    @TempDir
    Path folder;

    private final List<JobEvent> events = new ArrayList<>();
    private final List<Long> bytesWritten = new ArrayList<>();
    /** A clock that never moves: only the first and the last file of a job pass the throttle. */
    private PlanExecutor executor;

    /** Local folders: the fixture's and this test's, as a service's REAP_LOCAL_ROOTS would allow them. */
    @BeforeEach
    void executorWithoutS3() {
        executor = executor(new LocalRoots(List.of(TinyQwen3Omni.model(), folder)));
    }

    @Test
    void writesTheDirectRewritesBytesReportingProgressAndCompletion() throws Exception {
        PruningPlan plan = FixturePlans.stripExpertsAndLayers();

        executor.execute(planReady("job-1", plan));

        assertThat(RewriteFixture.modelFiles(new LocalObjectStore(output())))
                .containsExactlyInAnyOrderEntriesOf(FixturePlans.directRewrite(plan, folder.resolve("direct")));
        assertThat(events).hasSize(4);
        assertThat(events.subList(0, 3)).allSatisfy(event -> assertThat(event).isInstanceOfSatisfying(JobProgress.class,
                progress -> assertThat(progress.phase()).isEqualTo(JobPhase.WRITING)));
        JobProgress start = (JobProgress) events.get(0);
        assertThat(start.done()).as("the start, said before any file is done").isZero();
        assertThat(start.total()).isPositive();
        assertThat(start.detail()).endsWith("files; writing begins");
        JobProgress last = (JobProgress) events.get(2);
        assertThat(last.done()).isEqualTo(last.total());
        assertThat(events.get(3)).isInstanceOfSatisfying(JobCompleted.class, completed -> {
            assertThat(completed.jobId()).isEqualTo("job-1");
            assertThat(completed.outputPath()).isEqualTo(outputLocation());
            assertThat(completed.parametersAfter()).isPositive().isLessThan(completed.parametersBefore());
        });
        assertThat(bytesWritten).singleElement().satisfies(bytes -> assertThat(bytes).isPositive());
    }

    @Test
    void aDuplicatePlanCompletesAgainWithoutWriting() throws Exception {
        PlanReady plan = planReady("job-2", FixturePlans.stripExpertsAndLayers());
        executor.execute(plan);
        JobCompleted first = (JobCompleted) events.get(events.size() - 1);
        events.clear();

        executor.execute(plan);

        assertThat(events).singleElement().isInstanceOfSatisfying(JobCompleted.class, again -> {
            assertThat(again.files()).isEqualTo(first.files());
            assertThat(again.bytes()).isEqualTo(first.bytes());
            assertThat(again.parametersAfter()).isEqualTo(first.parametersAfter());
        });
        assertThat(bytesWritten.get(1)).isZero();
    }

    @Test
    void aPlanThatDoesNotFitIsRejectedBeforeAnythingIsWritten() {
        assertThatThrownBy(() -> executor.execute(planReady("job-3", FixturePlans.keepingMissingLayer())))
                .isInstanceOf(JobRejectedException.class)
                .hasMessageStartingWith("the plan does not fit the model at");
        assertThat(output()).doesNotExist();
        assertThat(folder).isEmptyDirectory();
    }

    @Test
    void anOutputPublishedByAnotherJobIsRejected() throws Exception {
        executor.execute(planReady("job-4", FixturePlans.stripExpertsAndLayers()));

        assertThatThrownBy(() -> executor.execute(planReady("job-5", FixturePlans.stripExpertsAndLayers())))
                .isInstanceOf(JobRejectedException.class)
                .hasMessageContaining("published by job job-4");
    }

    @Test
    void anS3ModelWithoutS3SettingsIsRejectedNamingWhatToSet() {
        PlanReady plan = PlanReady.of("job-6", StoreLocation.parse("s3://models/tiny"), outputLocation(),
                PruningPlan.empty());

        assertThatThrownBy(() -> executor.execute(plan))
                .isInstanceOf(JobRejectedException.class)
                .hasMessageContaining("S3 is not configured")
                .hasMessageContaining("REAP_S3_ENDPOINT");
    }

    @Test
    void aModelOrAnOutputOutsideTheLocalRootsIsRejectedBeforeAnythingIsWritten() {
        PlanExecutor onlyTheOutputs = executor(new LocalRoots(List.of(folder)));
        PlanExecutor onlyTheFixture = executor(new LocalRoots(List.of(TinyQwen3Omni.model())));

        assertThatThrownBy(() -> onlyTheOutputs.execute(planReady("job-7", FixturePlans.stripExpertsAndLayers())))
                .isInstanceOf(JobRejectedException.class)
                .hasMessage(TinyQwen3Omni.model().normalize() + " is not under the local folders this service may use"
                        + " (REAP_LOCAL_ROOTS: " + folder + ")");
        assertThatThrownBy(() -> onlyTheFixture.execute(planReady("job-8", FixturePlans.stripExpertsAndLayers())))
                .isInstanceOf(JobRejectedException.class)
                .hasMessageStartingWith(output() + " is not inside the local folders this service may use");
        assertThat(folder).isEmptyDirectory();
        assertThat(events).isEmpty();
    }

    private PlanExecutor executor(LocalRoots localRoots) {
        return new PlanExecutor(new JobStores(new StoreAccess(() -> {
            throw new IllegalStateException(S3Settings.ENDPOINT_VARIABLE + " is not set");
        }, localRoots), "the shard writer"), events::add, bytesWritten::add,
                () -> new ProgressThrottle(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), Duration.ofHours(1)),
                StopSignal.NEVER, new StagingJanitor(() -> {
                    throw new IllegalStateException("no S3 here");
                }, Duration.ofDays(7), List.of(), Clock.systemUTC()));
    }

    private PlanReady planReady(String jobId, PruningPlan plan) {
        return PlanReady.of(jobId, StoreLocation.parse(TinyQwen3Omni.model().toString()), outputLocation(), plan);
    }

    private Path output() {
        return folder.resolve("pruned");
    }

    private StoreLocation outputLocation() {
        return StoreLocation.parse(output().toString());
    }
}
