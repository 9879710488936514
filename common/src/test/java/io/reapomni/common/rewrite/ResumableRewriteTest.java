package io.reapomni.common.rewrite;

import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.plan.PlanBuilder;
import io.reapomni.common.plan.ValidatedPlan;
import io.reapomni.common.storage.LocalObjectStore;
import io.reapomni.common.storage.S3Settings;
import io.reapomni.common.storage.StoreLocation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A local rewrite killed mid-way and restarted with the same job id; a rewrite run twice. */
class ResumableRewriteTest {
    private static final String JOB = "job-7";
    private static final int KILLED_AT_WRITE = 4;
    private static final Supplier<S3Settings> NO_S3 = () -> {
        throw new AssertionError("a local output needs no S3 settings");
    };

    @TempDir
    Path folder;

    private LocalObjectStore sourceStore;
    private CheckpointRewriter rewriter;
    private ValidatedPlan plan;
    private StoreLocation.Local output;

    @BeforeEach
    void openFixture() throws Exception {
        sourceStore = RewriteFixture.source();
        Checkpoint checkpoint = Checkpoint.open(sourceStore);
        rewriter = new CheckpointRewriter(sourceStore);
        plan = RewriteFixture.plan(checkpoint);
        output = new StoreLocation.Local(folder.resolve("pruned"));
    }

    @Test
    void restartKeepsTheFilesTheKilledRunCompletedAndWritesTheRest() throws Exception {
        Map<String, byte[]> uninterrupted = uninterruptedOutput();
        List<String> completedBeforeKill = killedRun().written();

        RecordingStore restarted = RecordingStore.over(new LocalObjectStore(staging()));
        RewriteResult result = rewriter.rewrite(plan, stagedTarget(restarted), RewriteListener.NONE);

        assertThat(completedBeforeKill).hasSize(KILLED_AT_WRITE - 1).allMatch(key -> key.endsWith(".safetensors"));
        assertThat(restarted.written()).doesNotContainAnyElementsOf(completedBeforeKill)
                .contains(Manifest.FILE_NAME);
        assertThat(result.transfer().bytesKept()).isEqualTo(sizeOf(completedBeforeKill, result.manifest()));
        assertThat(result.alreadyPublished()).isFalse();
        assertThat(RewriteFixture.modelFiles(new LocalObjectStore(output.folder())))
                .containsExactlyInAnyOrderEntriesOf(uninterrupted);
        assertThat(staging()).doesNotExist();
    }

    @Test
    void wrongOrPartialFilesInStagingAreRewritten() throws Exception {
        Map<String, byte[]> uninterrupted = uninterruptedOutput();
        List<String> completedBeforeKill = killedRun().written();
        String corrupted = completedBeforeKill.get(0);
        String truncated = completedBeforeKill.get(1);
        flipLastByte(staging().resolve(corrupted));
        byte[] whole = Files.readAllBytes(staging().resolve(truncated));
        Files.write(staging().resolve(truncated), java.util.Arrays.copyOf(whole, whole.length / 2));

        RecordingStore restarted = RecordingStore.over(new LocalObjectStore(staging()));
        rewriter.rewrite(plan, stagedTarget(restarted), RewriteListener.NONE);

        assertThat(restarted.written()).contains(corrupted, truncated).doesNotContain(completedBeforeKill.get(2));
        assertThat(RewriteFixture.modelFiles(new LocalObjectStore(output.folder())))
                .containsExactlyInAnyOrderEntriesOf(uninterrupted);
    }

    @Test
    void openTakesBackTheStagingFolderOfTheSameJobAndDropsAbandonedWrites() throws Exception {
        Map<String, byte[]> uninterrupted = uninterruptedOutput();
        killedRun();
        Path abandoned = staging().resolve(".model-00002-of-00007.safetensors.part-0123456789abcdef");
        Files.write(abandoned, new byte[]{1, 2, 3});

        RewriteResult result;
        try (OutputTarget target = OutputTarget.open(output, NO_S3, rewriter.claim(JOB, plan))) {
            assertThat(target).isInstanceOf(OutputTarget.Staged.class);
            result = rewriter.rewrite(plan, target, RewriteListener.NONE);
        }

        assertThat(result.transfer().bytesKept()).isPositive();
        assertThat(result.report().transfer().bytesKept()).isEqualTo(result.transfer().bytesKept());
        try (Stream<Path> files = Files.list(output.folder())) {
            assertThat(files.map(path -> path.getFileName().toString())).noneMatch(name -> name.contains(".part-"));
        }
        assertThat(RewriteFixture.modelFiles(new LocalObjectStore(output.folder())))
                .containsExactlyInAnyOrderEntriesOf(uninterrupted);
    }

    @Test
    void secondRunOfAPublishedJobWritesNothingAndReturnsTheFirstResult() throws Exception {
        RewriteResult first = rewriteThroughOpen(JOB);
        Map<String, FileTime> modified = modificationTimes(output.folder());

        RewriteResult second = rewriteThroughOpen(JOB);

        assertThat(second.alreadyPublished()).isTrue();
        assertThat(second.manifest()).isEqualTo(first.manifest());
        assertThat(second.report()).isEqualTo(first.report());
        assertThat(second.transfer().bytesWritten()).isZero();
        assertThat(modificationTimes(output.folder())).isEqualTo(modified);
    }

    @Test
    void anotherJobIsRefusedAnOutputPublishedByThisOne() throws Exception {
        rewriteThroughOpen(JOB);

        assertThatThrownBy(() -> OutputTarget.open(output, NO_S3, rewriter.claim("job-8", plan)))
                .isInstanceOf(OutputExistsException.class)
                .hasMessageContaining("published by job " + JOB);
    }

    @Test
    void aStorageFailureKeepsTheFinishedFilesAndTheNextRunOfTheJobResumesFromThem() throws Exception {
        Map<String, byte[]> uninterrupted = uninterruptedOutput();
        Checkpoint checkpoint = Checkpoint.open(sourceStore);
        FailingStore failing = FailingStore.failingHalfway(sourceStore, checkpoint, plan.plan(),
                folder.resolve("scratch"));
        CheckpointRewriter failingRewriter = new CheckpointRewriter(failing);

        ResumableRewriteException failure;
        try (OutputTarget target = OutputTarget.open(output, NO_S3, failingRewriter.claim(JOB, plan))) {
            failure = catchThrowableOfType(() -> failingRewriter.rewrite(plan, target, RewriteListener.NONE),
                    ResumableRewriteException.class);
        }

        assertThat(failure).hasMessageContaining(FailingStore.FAILURE).hasMessageContaining(staging().toString())
                .hasMessageContaining("job " + JOB);
        assertThat(failure.filesDone()).isPositive();
        assertThat(output.folder()).as("nothing published").doesNotExist();
        assertThat(staging().resolve(JobMarker.KEY)).as("the staging area stays claimed by the job").exists();
        RewriteResult resumed = rewriteThroughOpen(JOB);
        assertThat(resumed.transfer().bytesKept()).as("bytes of the failed run verified and kept").isPositive();
        assertThat(RewriteFixture.modelFiles(new LocalObjectStore(output.folder())))
                .containsExactlyInAnyOrderEntriesOf(uninterrupted);
        assertThat(staging()).doesNotExist();
        assertThat(output.folder().resolve(JobMarker.KEY)).as("the marker is not published").doesNotExist();
    }

    @Test
    void aJobIdUsedAgainForAnotherPlanIsRefusedWhetherItsOutputIsUnfinishedOrPublished() throws Exception {
        ValidatedPlan other = PlanBuilder.build(plan.checkpoint(), FixtureCuts.STRIP_VISION.request());
        Checkpoint checkpoint = Checkpoint.open(sourceStore);
        FailingStore failing = FailingStore.failingHalfway(sourceStore, checkpoint, plan.plan(),
                folder.resolve("scratch"));
        CheckpointRewriter failingRewriter = new CheckpointRewriter(failing);
        try (OutputTarget target = OutputTarget.open(output, NO_S3, failingRewriter.claim(JOB, plan))) {
            assertThatThrownBy(() -> failingRewriter.rewrite(plan, target, RewriteListener.NONE))
                    .isInstanceOf(ResumableRewriteException.class);
        }

        assertThatThrownBy(() -> rewriteThroughOpen(JOB, other)).isInstanceOf(OutputExistsException.class)
                .hasMessageContaining(staging().toString()).hasMessageContaining("job " + JOB + " for another model or plan");
        rewriteThroughOpen(JOB);
        Map<String, FileTime> published = modificationTimes(output.folder());
        assertThatThrownBy(() -> rewriteThroughOpen(JOB, other)).isInstanceOf(OutputExistsException.class)
                .hasMessageContaining("model published by job " + JOB + " for another model or plan");
        assertThat(modificationTimes(output.folder())).isEqualTo(published);
    }

    @Test
    void filesThatNoJobWroteAreRefused() throws Exception {
        Files.createDirectories(output.folder());
        Files.writeString(output.folder().resolve("notes.txt"), "mine");

        assertThatThrownBy(() -> OutputTarget.open(output, NO_S3, rewriter.claim(JOB, plan)))
                .isInstanceOf(OutputExistsException.class);
    }

    private Map<String, byte[]> uninterruptedOutput() throws Exception {
        Path reference = folder.resolve("reference");
        try (OutputTarget target = OutputTarget.open(new StoreLocation.Local(reference), NO_S3,
                rewriter.claim("reference-job", plan))) {
            rewriter.rewrite(plan, target, RewriteListener.NONE);
        }
        return RewriteFixture.modelFiles(new LocalObjectStore(reference));
    }

    /** The rewrite into this job's staging folder, killed at a write: nothing after the kill reaches the folder. */
    private RecordingStore killedRun() throws IOException {
        RecordingStore killed = RecordingStore.killedAtWrite(new LocalObjectStore(staging()), KILLED_AT_WRITE);
        assertThatThrownBy(() -> rewriter.rewrite(plan, new OutputTarget.InPlace(killed.store(),
                rewriter.claim(JOB, plan)), RewriteListener.NONE)).hasMessageContaining("simulated kill");
        return killed;
    }

    private OutputTarget.Staged stagedTarget(RecordingStore staging) {
        return new OutputTarget.Staged(output, rewriter.claim(JOB, plan), LocalStaging.of(output.folder(), JOB),
                staging.store());
    }

    private RewriteResult rewriteThroughOpen(String jobId) throws Exception {
        return rewriteThroughOpen(jobId, plan);
    }

    private RewriteResult rewriteThroughOpen(String jobId, ValidatedPlan executed) throws Exception {
        try (OutputTarget target = OutputTarget.open(output, NO_S3, rewriter.claim(jobId, executed))) {
            return rewriter.rewrite(executed, target, RewriteListener.NONE);
        }
    }

    private Path staging() {
        return LocalStaging.of(output.folder(), JOB).folder();
    }

    private static long sizeOf(List<String> keys, Manifest manifest) {
        return manifest.files().stream().filter(file -> keys.contains(file.path())).mapToLong(ManifestEntry::size).sum();
    }

    private static void flipLastByte(Path file) throws IOException {
        byte[] content = Files.readAllBytes(file);
        content[content.length - 1] ^= 0x5a;
        Files.write(file, content);
    }

    private static Map<String, FileTime> modificationTimes(Path root) throws IOException {
        Map<String, FileTime> times = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                times.put(root.relativize(file).toString(), Files.getLastModifiedTime(file));
            }
        }
        times.put(".", Files.getLastModifiedTime(root));
        return times;
    }
}
