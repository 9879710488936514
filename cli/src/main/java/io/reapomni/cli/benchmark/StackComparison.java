package io.reapomni.cli.benchmark;

import io.reapomni.cli.jobs.IdleTimeoutOption;
import io.reapomni.cli.jobs.JobOutcome;
import io.reapomni.cli.jobs.LocalJob;
import io.reapomni.cli.jobs.LocalPruneRequest;
import io.reapomni.cli.jobs.Patience;
import io.reapomni.cli.stack.StackSession;
import io.reapomni.common.job.PlanChoices;
import io.reapomni.common.rewrite.Manifest;
import io.reapomni.common.rewrite.ManifestEntry;
import io.reapomni.common.rewrite.ReportFiles;
import io.reapomni.common.rewrite.RewriteReport;
import io.reapomni.common.storage.LocalObjectStore;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The benchmark's job through the services of a running embedded stack, against the same job in this process: the
 * stack's first job (which pays for what the services load and compile on first use), then rounds of one in-process
 * rewrite and one job through the stack, so that both meet the same moments of a shared machine. Every output is
 * checked against the reference rewrite's model files and deleted.
 */
final class StackComparison {

    /** How the two compare; {@code inProcess} and {@code throughStack} are the rounds' runs, in order. */
    record Result(Measurement firstJob, List<Measurement> inProcess, List<Measurement> throughStack) {
    }

    private final StackSession stack;
    private final Path model;
    private final PlanChoices choices;
    private final Path reference;
    private final Path work;
    private final PrintWriter out;

    /**
     * @param reference an in-process rewrite's output, which every output must match
     * @param work      where the outputs are written (and deleted again)
     */
    StackComparison(StackSession stack, Path model, PlanChoices choices, Path reference, Path work, PrintWriter out) {
        this.stack = stack;
        this.model = model;
        this.choices = choices;
        this.reference = reference;
        this.work = work;
        this.out = out;
    }

    Result run(int rounds) throws Exception {
        Measurement first = throughStack("through-stack-first");
        List<Measurement> inProcess = new ArrayList<>();
        List<Measurement> throughStack = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            Path output = work.resolve("in-process-" + round);
            try (LocalObjectStore source = new LocalObjectStore(model)) {
                inProcess.add(RewriteBenchmark.rewrite(source, choices, output));
            }
            requireSameModel(output);
            throughStack.add(throughStack("through-stack-" + round));
        }
        return new Result(first, inProcess, throughStack);
    }

    /** The job as {@code prune} runs it on a running stack, timed from its request to its completion. */
    private Measurement throughStack(String name) throws IOException {
        Path output = work.resolve(name);
        LocalPruneRequest request = new LocalPruneRequest(model, Optional.of(output), choices, Optional.empty());
        long started = System.nanoTime();
        JobOutcome outcome = LocalJob.run(stack, "benchmark-" + UUID.randomUUID(), request,
                Patience.whileAnswering(Optional.of(Duration.ofSeconds(IdleTimeoutOption.DEFAULT_SECONDS))), out);
        double seconds = (System.nanoTime() - started) / 1e9;
        if (!(outcome instanceof JobOutcome.Completed completed)) {
            throw new IOException("the benchmark's job through the stack did not complete: " + outcome);
        }
        requireSameModel(output);
        return Measurement.elsewhere(completed.event().bytes(), seconds);
    }

    /**
     * Checks that {@code output} holds the reference's model files with the same SHA-256, as their manifests list
     * them (the reports name their job, its paths and its timing), and deletes it.
     */
    private void requireSameModel(Path output) throws IOException {
        if (!modelFiles(output).equals(modelFiles(reference))) {
            throw new IOException("the model written to " + output + " differs from the in-process rewrite in "
                    + reference + "; both are left there");
        }
        RewriteBenchmark.deleteTree(output);
    }

    private static List<ManifestEntry> modelFiles(Path output) throws IOException {
        Set<String> reports = Set.of(RewriteReport.JSON_FILE, RewriteReport.MARKDOWN_FILE);
        return ReportFiles.readManifest(Files.readAllBytes(output.resolve(Manifest.FILE_NAME))).files().stream()
                .filter(file -> !reports.contains(file.path())).toList();
    }
}
