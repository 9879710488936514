package io.reapomni.cli.prune;

import io.reapomni.cli.CliRun;
import io.reapomni.cli.jobs.DirectRewrite;
import io.reapomni.cli.stack.ReapHome;
import io.reapomni.common.job.PlanChoices;
import io.reapomni.common.testing.TestJobs;
import io.reapomni.devtools.synthetic.SyntheticCheckpoint;
import io.reapomni.devtools.synthetic.SyntheticModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * {@code bin/reap-omni prune --in-process} stopped by SIGTERM halfway through a model of a few hundred MB, as a user's
 * Ctrl-C or a container's stop would: it says where the finished files are and how to resume, and running the same
 * command with the same job id finishes the model, keeping those files, with the bytes of an undisturbed rewrite.
 */
class PruneStopIT {
    private static final String JOB = "stopped-job";
    private static final Duration BOUND = Duration.ofMinutes(3);
    /** About 600 MB in shards of 24 MiB: files are finished long before the last one. */
    private static final SyntheticModelSpec SIZES = new SyntheticModelSpec(1024, 6, 32, 4, 512, 8, 2, 128, 4096, 1,
            64, 1, 64, 1, 4, 64, 24L << 20);
    private static final PlanChoices CHOICES = TestJobs.stripVision(IntStream.range(0, 24).boxed().toList(),
            List.of(2));

    @TempDir
    Path temp;

    @Test
    void aSigtermLeavesAResumableStagingFolderAndTheSameCommandFinishesTheModel() throws Exception {
        Path model = temp.resolve("model");
        SyntheticCheckpoint.write(model, SIZES);
        Path output = temp.resolve("pruned");
        Path expected = temp.resolve("undisturbed");
        DirectRewrite.write(model, CHOICES, expected);
        Path staging = temp.resolve(".pruned.reap-staging-" + JOB);
        List<String> command = List.of("prune", "--in-process", "--verbose", "-m", model.toString(),
                "-o", output.toString(), "--job-id", JOB, "--strip-vision", "--keep-experts",
                CHOICES.keepExperts().stream().map(String::valueOf).collect(Collectors.joining(",")),
                "--prune-layers", "2");

        Process prune = new ProcessBuilder(Stream.concat(Stream.of(script().toString()), command.stream()).toList())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        StderrLines err = StderrLines.of(prune);
        err.await(line -> line.startsWith("  wrote "));
        prune.toHandle().destroy(); // SIGTERM (Process.destroy would also close the pipes read here)
        boolean ended = prune.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS);
        String printed = err.all();

        assertThat(ended).as(printed).isTrue();
        assertThat(output).as("no model where the finished one is expected").doesNotExist();
        assertThat(printed).contains("job " + JOB + " was stopped").contains("kept in " + staging)
                .contains("To resume, run the same command again with --job-id " + JOB);
        assertThat(staging.resolve(".reap-job")).exists();
        assertThat(safetensorsIn(staging)).as("shards finished before the stop").isNotEmpty();

        CliRun resumed = CliRun.of(command.toArray());

        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        assertThat(resumed.err()).contains("  kept  model-00001-of-");
        assertThat(staging).doesNotExist();
        DirectRewrite.assertSameModel(output, expected);
    }

    private static Path script() {
        return ReapHome.locate().root().resolve("bin").resolve("reap-omni");
    }

    /** A process's stderr, line by line as it comes, kept whole for the report. */
    private record StderrLines(BlockingQueue<String> fresh, List<String> seen, Thread reader) {
        static StderrLines of(Process process) {
            BlockingQueue<String> fresh = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                        StandardCharsets.UTF_8))) {
                    in.lines().forEach(fresh::add);
                } catch (Exception e) {
                    fresh.add("(stderr unreadable: " + e + ")");
                }
            }, "prune-stderr");
            reader.setDaemon(true);
            reader.start();
            return new StderrLines(fresh, new ArrayList<>(), reader);
        }

        void await(Predicate<String> wanted) throws InterruptedException {
            long deadline = System.nanoTime() + BOUND.toNanos();
            while (System.nanoTime() < deadline) {
                String line = fresh.poll(100, TimeUnit.MILLISECONDS);
                if (line != null) {
                    seen.add(line);
                    if (wanted.test(line)) {
                        return;
                    }
                }
            }
            fail("no such line within " + BOUND + "; stderr so far:\n" + String.join("\n", seen));
        }

        /** Every line, once the process has closed its stderr. */
        String all() throws InterruptedException {
            reader.join(BOUND.toMillis());
            fresh.drainTo(seen);
            return String.join("\n", seen);
        }
    }

    private static List<Path> safetensorsIn(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".safetensors")).toList();
        }
    }
}
