package io.reapomni.common.rewrite;

import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.plan.PlanBuilder;
import io.reapomni.common.plan.ValidatedPlan;
import io.reapomni.common.storage.ForwardingStore;
import io.reapomni.common.storage.LocalObjectStore;
import io.reapomni.common.storage.ObjectInfo;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.S3ObjectStore;
import io.reapomni.common.storage.Segment;
import io.reapomni.common.storage.StoreLocation;
import io.reapomni.common.storage.testing.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.ArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An S3 output prefix: claimed by a marker, taken back by the same job after a kill, refused to every other job. */
class S3ResumableRewriteTest {
    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();

    private static final String JOB = "job-s3";
    private static final int KILLED_AT_WRITE = 4;

    @TempDir
    Path folder;

    private LocalObjectStore sourceStore;
    private CheckpointRewriter rewriter;
    private ValidatedPlan plan;
    private StoreLocation.S3 output;
    private ObjectStore outputStore;

    @BeforeEach
    void openFixture() throws Exception {
        sourceStore = RewriteFixture.source();
        Checkpoint checkpoint = Checkpoint.open(sourceStore);
        rewriter = new CheckpointRewriter(sourceStore);
        plan = RewriteFixture.plan(checkpoint);
        output = new StoreLocation.S3(S3.bucket(), "pruned-" + UUID.randomUUID());
        outputStore = S3ObjectStore.open(S3.settings(), output);
    }

    @AfterEach
    void closeOutput() throws IOException {
        outputStore.close();
    }

    @Test
    void restartOfAKilledJobKeepsItsCompletedFilesAndPublishes() throws Exception {
        Map<String, byte[]> uninterrupted = uninterruptedOutput();
        List<String> completedBeforeKill = killedRun().written();

        RecordingStore restarted = RecordingStore.over(S3ObjectStore.open(S3.settings(), output));
        RewriteResult result;
        try (OutputTarget target = OutputTarget.open(output, S3::settings, rewriter.claim(JOB, plan))) {
            assertThat(target).isInstanceOf(OutputTarget.InPlace.class);
        }
        try (OutputTarget target = new OutputTarget.InPlace(restarted.store(), rewriter.claim(JOB, plan))) {
            result = rewriter.rewrite(plan, target, RewriteListener.NONE);
        }

        assertThat(completedBeforeKill).hasSize(KILLED_AT_WRITE - 1);
        assertThat(restarted.written()).doesNotContainAnyElementsOf(completedBeforeKill);
        assertThat(result.transfer().bytesKept()).isPositive();
        assertThat(outputStore.exists(JobMarker.KEY)).isFalse();
        assertThat(RewriteFixture.modelFiles(outputStore)).containsExactlyInAnyOrderEntriesOf(uninterrupted);
    }

    @Test
    void anotherJobIsRefusedTheUnfinishedOutputOfAKilledJob() throws Exception {
        killedRun();

        assertThatThrownBy(() -> OutputTarget.open(output, S3::settings, rewriter.claim("job-other", plan)))
                .isInstanceOf(OutputExistsException.class)
                .hasMessageContaining("unfinished output of job " + JOB);
    }

    @Test
    void publishedOutputIsReturnedToItsJobWithoutWritingAndRefusedToOthers() throws Exception {
        RewriteResult first = rewriteThroughOpen();
        byte[] report = outputStore.readAll(RewriteReport.JSON_FILE, 1 << 20);

        RewriteResult second = rewriteThroughOpen();

        assertThat(second.alreadyPublished()).isTrue();
        assertThat(second.manifest()).isEqualTo(first.manifest());
        // The report records the run's timings: a second write would change it.
        assertThat(outputStore.readAll(RewriteReport.JSON_FILE, 1 << 20)).isEqualTo(report);
        assertThatThrownBy(() -> OutputTarget.open(output, S3::settings, rewriter.claim("job-other", plan)))
                .isInstanceOf(OutputExistsException.class)
                .hasMessageContaining("published by job " + JOB);
    }

    @Test
    void ofTwoJobsThatBothFoundThePrefixEmptyExactlyOneClaimsIt() throws Exception {
        // Both jobs list the prefix (empty) before either claims it: the interleaving in which a check-then-put
        // claim lets both write. The marker's conditional write lets only one through.
        CyclicBarrier bothListed = new CyclicBarrier(2);
        ExecutorService jobs = Executors.newFixedThreadPool(2);
        try {
            List<Future<String>> outcomes = new ArrayList<>();
            for (String job : List.of("job-a", "job-b")) {
                outcomes.add(jobs.submit(() -> claimAfterBothListed(job, bothListed)));
            }
            List<String> results = new ArrayList<>();
            for (Future<String> outcome : outcomes) {
                results.add(outcome.get(60, TimeUnit.SECONDS));
            }

            assertThat(results).filteredOn(result -> result.startsWith("claimed")).hasSize(1);
            String winner = results.stream().filter(result -> result.startsWith("claimed")).findFirst().orElseThrow()
                    .substring("claimed by ".length());
            assertThat(results).filteredOn(result -> result.startsWith("refused"))
                    .singleElement().asString().contains("unfinished output of job " + winner);
            assertThat(JobMarker.read(outputStore).orElseThrow().jobId()).isEqualTo(winner);
        } finally {
            jobs.shutdownNow();
        }
    }

    @Test
    void aJobIdUsedAgainForAnotherPlanIsRefusedItsUnfinishedOutput() throws Exception {
        killedRun();
        ValidatedPlan other = PlanBuilder.build(plan.checkpoint(), FixtureCuts.STRIP_VISION.request());

        assertThatThrownBy(() -> OutputTarget.open(output, S3::settings, rewriter.claim(JOB, other)))
                .isInstanceOf(OutputExistsException.class)
                .hasMessageContaining("unfinished output of job " + JOB + " for another model or plan");
    }

    @Test
    void aPrefixWithFilesButNoMarkerIsRefused() throws Exception {
        outputStore.write("notes.txt", List.of(new Segment.Bytes(new byte[]{1})), RewriteListener.NONE);

        assertThatThrownBy(() -> OutputTarget.open(output, S3::settings, rewriter.claim(JOB, plan)))
                .isInstanceOf(OutputExistsException.class)
                .hasMessageContaining("already holds files");
    }

    private Map<String, byte[]> uninterruptedOutput() throws Exception {
        StoreLocation.Local reference = new StoreLocation.Local(folder.resolve("reference"));
        try (OutputTarget target = OutputTarget.Staged.open(reference, rewriter.claim("reference-job", plan))) {
            rewriter.rewrite(plan, target, RewriteListener.NONE);
        }
        return RewriteFixture.modelFiles(new LocalObjectStore(reference.folder()));
    }

    /** A claimed prefix written until the process is killed at a write; its marker and completed files stay. */
    private RecordingStore killedRun() throws IOException {
        OutputTarget.open(output, S3::settings, rewriter.claim(JOB, plan)).close();
        RecordingStore killed = RecordingStore.killedAtWrite(S3ObjectStore.open(S3.settings(), output), KILLED_AT_WRITE);
        assertThatThrownBy(() -> rewriter.rewrite(plan, new OutputTarget.InPlace(killed.store(),
                rewriter.claim(JOB, plan)), RewriteListener.NONE)).hasMessageContaining("simulated kill");
        return killed;
    }

    /** Claims the output for {@code job} through a store whose listing waits until both jobs have listed. */
    private String claimAfterBothListed(String job, CyclicBarrier bothListed) throws Exception {
        try (ObjectStore store = new ForwardingStore(S3ObjectStore.open(S3.settings(), output)) {
            @Override
            public List<ObjectInfo> list() throws IOException {
                List<ObjectInfo> listed = super.list();
                try {
                    bothListed.await(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IOException("the other job did not list the prefix", e);
                }
                return listed;
            }
        }) {
            OutputTarget.InPlace.claim(store, rewriter.claim(job, plan));
            return "claimed by " + job;
        } catch (OutputExistsException e) {
            return "refused: " + e.getMessage();
        }
    }

    private RewriteResult rewriteThroughOpen() throws Exception {
        try (OutputTarget target = OutputTarget.open(output, S3::settings, rewriter.claim(JOB, plan))) {
            return rewriter.rewrite(plan, target, RewriteListener.NONE);
        }
    }
}
