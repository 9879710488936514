package io.reapomni.cli.jobs;

import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.job.PlanChoices;
import io.reapomni.common.plan.ValidatedPlan;
import io.reapomni.common.rewrite.CheckpointRewriter;
import io.reapomni.common.rewrite.Manifest;
import io.reapomni.common.rewrite.OutputTarget;
import io.reapomni.common.rewrite.RewriteListener;
import io.reapomni.common.rewrite.RewriteReport;
import io.reapomni.common.storage.LocalObjectStore;
import io.reapomni.common.storage.StoreLocation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The reference for the services' output: the same plan rewritten in this JVM with {@link CheckpointRewriter}. */
public final class DirectRewrite {

    /** Files that name the job or the time (manifest, report); every other file must be the same bytes. */
    private static final Set<String> JOB_SPECIFIC = Set.of(Manifest.FILE_NAME, RewriteReport.JSON_FILE,
            RewriteReport.MARKDOWN_FILE);

    private DirectRewrite() {
    }

    public static void write(Path model, PlanChoices choices, Path output) throws Exception {
        try (LocalObjectStore source = new LocalObjectStore(model)) {
            CheckpointRewriter rewriter = new CheckpointRewriter(source);
            ValidatedPlan plan = choices.plan(Checkpoint.open(source));
            try (OutputTarget target = OutputTarget.open(new StoreLocation.Local(output), () -> {
                throw new IllegalStateException("a local rewrite needs no S3");
            }, rewriter.claim("direct", plan))) {
                rewriter.rewrite(plan, target, RewriteListener.NONE);
            }
        }
    }

    /** Asserts that {@code actual} holds the same files as {@code expected}, byte for byte, the job's own aside. */
    public static void assertSameModel(Path actual, Path expected) throws IOException {
        assertThat(fileNames(actual)).containsExactlyInAnyOrderElementsOf(fileNames(expected));
        for (String name : fileNames(expected)) {
            if (!JOB_SPECIFIC.contains(name)) {
                assertThat(actual.resolve(name)).as(name).hasSameBinaryContentAs(expected.resolve(name));
            }
        }
    }

    public static List<String> fileNames(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }
}
