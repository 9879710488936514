package io.reapomni.common.rewrite;

import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.plan.PruningPlan;
import io.reapomni.common.storage.LocalObjectStore;
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
    private PruningPlan plan;
    private StoreLocation.S3 output;
    private ObjectStore outputStore;

    @BeforeEach
    void openFixture() throws Exception {
        sourceStore = RewriteFixture.source();
        Checkpoint checkpoint = Checkpoint.open(sourceStore);
        rewriter = new CheckpointRewriter(sourceStore, checkpoint);
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
        try (OutputTarget target = OutputTarget.open(output, S3::settings, JOB)) {
            assertThat(target).isInstanceOf(OutputTarget.InPlace.class);
        }
        try (OutputTarget target = new OutputTarget.InPlace(restarted.store())) {
            result = rewriter.rewrite(plan, target, JOB, RewriteListener.NONE);
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

        assertThatThrownBy(() -> OutputTarget.open(output, S3::settings, "job-other"))
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
        assertThatThrownBy(() -> OutputTarget.open(output, S3::settings, "job-other"))
                .isInstanceOf(OutputExistsException.class)
                .hasMessageContaining("published by job " + JOB);
    }

    @Test
    void aPrefixWithFilesButNoMarkerIsRefused() throws Exception {
        outputStore.write("notes.txt", List.of(new Segment.Bytes(new byte[]{1})), RewriteListener.NONE);

        assertThatThrownBy(() -> OutputTarget.open(output, S3::settings, JOB))
                .isInstanceOf(OutputExistsException.class)
                .hasMessageContaining("already holds files");
    }

    private Map<String, byte[]> uninterruptedOutput() throws Exception {
        StoreLocation.Local reference = new StoreLocation.Local(folder.resolve("reference"));
        try (OutputTarget target = OutputTarget.Staged.open(reference, "reference-job")) {
            rewriter.rewrite(plan, target, "reference-job", RewriteListener.NONE);
        }
        return RewriteFixture.modelFiles(new LocalObjectStore(reference.folder()));
    }

    /** A claimed prefix written until the process is killed at a write; its marker and completed files stay. */
    private RecordingStore killedRun() throws IOException {
        OutputTarget.open(output, S3::settings, JOB).close();
        RecordingStore killed = RecordingStore.killedAtWrite(S3ObjectStore.open(S3.settings(), output), KILLED_AT_WRITE);
        assertThatThrownBy(() -> rewriter.rewrite(plan, new OutputTarget.InPlace(killed.store()), JOB,
                RewriteListener.NONE)).hasMessageContaining("simulated kill");
        return killed;
    }

    private RewriteResult rewriteThroughOpen() throws Exception {
        try (OutputTarget target = OutputTarget.open(output, S3::settings, JOB)) {
            return rewriter.rewrite(plan, target, JOB, RewriteListener.NONE);
        }
    }
}
