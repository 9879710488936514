package io.reapomni.cli.jobs;

import io.reapomni.common.job.PlanChoices;
import io.reapomni.common.rewrite.CheckpointRewriter;
import io.reapomni.common.rewrite.RewriteFixture;
import io.reapomni.common.rewrite.TestModels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The reference for the services' output: the same plan rewritten in this JVM with {@link CheckpointRewriter}. */
public final class DirectRewrite {

    private DirectRewrite() {
    }

    public static void write(Path model, PlanChoices choices, Path output) throws Exception {
        TestModels.prune(model, choices, output, "direct");
    }

    /**
     * Asserts that {@code actual} holds the same files as {@code expected}, byte for byte, those that name the job or
     * the run aside.
     */
    public static void assertSameModel(Path actual, Path expected) throws IOException {
        assertThat(fileNames(actual)).containsExactlyInAnyOrderElementsOf(fileNames(expected));
        for (String name : fileNames(expected)) {
            if (!RewriteFixture.RUN_SPECIFIC.contains(name)) {
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
