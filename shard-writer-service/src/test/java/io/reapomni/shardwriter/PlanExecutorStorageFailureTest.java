package io.reapomni.shardwriter;

import io.reapomni.common.events.JobCompleted;
import io.reapomni.common.events.JobEvent;
import io.reapomni.common.events.JobProgress;
import io.reapomni.common.events.PlanReady;
import io.reapomni.common.plan.PruningPlan;
import io.reapomni.common.rewrite.ResumableRewriteException;
import io.reapomni.common.rewrite.RewriteFixture;
import io.reapomni.common.rewrite.StopSignal;
import io.reapomni.common.storage.LocalRoots;
import io.reapomni.common.storage.ObjectInfo;
import io.reapomni.common.storage.RetrySettings;
import io.reapomni.common.storage.S3ObjectStore;
import io.reapomni.common.storage.S3Settings;
import io.reapomni.common.storage.StoreAccess;
import io.reapomni.common.storage.StoreLocation;
import io.reapomni.common.storage.testing.FaultInjectingProxy.Fault;
import io.reapomni.common.storage.testing.FaultInjectingProxy;
import io.reapomni.common.storage.testing.S3ProxyExtension;
import io.reapomni.service.JobStores;
import io.reapomni.service.ProgressThrottle;
import io.reapomni.testfixtures.TinyQwen3Omni;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A plan whose output store fails for longer than the retries last, halfway through: the job fails (its reason says
 * where the finished files are kept) and the same plan delivered again resumes from them instead of starting over,
 * ending with the bytes of an undisturbed run.
 */
class PlanExecutorStorageFailureTest {
    private static final RetrySettings TWO_ATTEMPTS = new RetrySettings(2, Duration.ofMillis(5), Duration.ofMillis(10));

    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();

    @TempDir
    Path folder;

    private FaultInjectingProxy proxy;
    private final List<JobEvent> events = new ArrayList<>();

    @BeforeEach
    void startProxy() throws Exception {
        proxy = FaultInjectingProxy.start(S3.settings().endpoint());
    }

    @AfterEach
    void stopProxy() throws Exception {
        proxy.close();
    }

    @Test
    void aJobThatFailedOnStorageKeepsItsFinishedFilesAndItsNextDeliveryResumesFromThem() throws Exception {
        PruningPlan plan = FixturePlans.stripExpertsAndLayers();
        int requestsOfAWholeJob = requestsOf(planReady("job-count", plan));
        int halfway = proxy.requests() + requestsOfAWholeJob / 2;
        // Every request from halfway on fails, until the job has given up: longer than two attempts can bridge.
        proxy.schedule(request -> request.number() >= halfway ? Fault.RESET_BEFORE_SERVER : Fault.NONE);
        PlanReady planReady = planReady("job-failing", plan);

        ResumableRewriteException failure = catchThrowableOfType(() -> executor().execute(planReady),
                ResumableRewriteException.class);
        assertThat(failure).hasMessageContaining("kept in " + planReady.outputPath())
                .hasMessageContaining("gave up after 2 attempts");
        assertThat(failure.filesDone()).as("files finished before the failure").isPositive();
        proxy.schedule(FaultInjectingProxy.Schedule.NONE);
        assertThat(keys(planReady.outputPath())).as("no model published").doesNotContain("config.json",
                "reap-manifest.json");

        events.clear();
        executor().execute(planReady);

        assertThat(events).last().isInstanceOfSatisfying(JobCompleted.class, completed ->
                assertThat(completed.jobId()).isEqualTo("job-failing"));
        assertThat(events).filteredOn(JobProgress.class::isInstance).map(event -> ((JobProgress) event).detail())
                .as("progress of the resumed run").anyMatch(detail -> detail.contains("kept from the interrupted run"));
        try (S3ObjectStore output = outputStore(planReady.outputPath())) {
            assertThat(RewriteFixture.modelFiles(output))
                    .containsExactlyInAnyOrderEntriesOf(FixturePlans.directRewrite(plan, folder.resolve("direct")));
        }
    }

    private PlanExecutor executor() {
        List<Long> bytes = new ArrayList<>();
        LocalRoots roots = new LocalRoots(List.of(TinyQwen3Omni.model(), folder));
        return new PlanExecutor(new JobStores(new StoreAccess(this::settings, roots), "the shard writer"), events::add,
                bytes::add,
                () -> new ProgressThrottle(Clock.systemUTC(), Duration.ofHours(1)), StopSignal.NEVER,
                new StagingJanitor(this::settings, Duration.ofDays(7), List.of(), Clock.systemUTC()));
    }

    private int requestsOf(PlanReady planReady) throws Exception {
        int before = proxy.requests();
        executor().execute(planReady);
        return proxy.requests() - before;
    }

    private S3Settings settings() {
        return new S3Settings(proxy.endpoint(), S3.settings().region(), S3.settings().accessKey(),
                S3.settings().secretKey(), TWO_ATTEMPTS);
    }

    private PlanReady planReady(String jobId, PruningPlan plan) {
        return PlanReady.of(jobId, StoreLocation.parse(TinyQwen3Omni.model().toString()),
                StoreLocation.parse("s3://" + S3.bucket() + "/" + jobId), plan);
    }

    private S3ObjectStore outputStore(StoreLocation location) {
        return S3ObjectStore.open(S3.settings(), (StoreLocation.S3) location);
    }

    private List<String> keys(StoreLocation location) throws Exception {
        try (S3ObjectStore output = outputStore(location)) {
            return output.list().stream().map(ObjectInfo::key).toList();
        }
    }
}
