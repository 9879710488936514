package io.reapomni.cli.benchmark;

import io.reapomni.cli.jobs.LocalPruneRequest;
import io.reapomni.cli.stack.ReapHome;
import io.reapomni.cli.stack.RunFolderOption;
import io.reapomni.cli.stack.StackSession;
import io.reapomni.cli.stack.StackSettings;
import io.reapomni.calibration.TemporaryFolder;
import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.format.Units;
import io.reapomni.common.job.PlanChoices;
import io.reapomni.common.plan.Strip;
import io.reapomni.common.plan.ValidatedPlan;
import io.reapomni.common.rewrite.CheckpointRewriter;
import io.reapomni.common.rewrite.OutputTarget;
import io.reapomni.common.rewrite.RewriteListener;
import io.reapomni.common.rewrite.RewriteResult;
import io.reapomni.common.storage.CopyListener;
import io.reapomni.common.storage.LocalObjectStore;
import io.reapomni.common.storage.ObjectInfo;
import io.reapomni.common.storage.Segment;
import io.reapomni.common.storage.StoreLocation;
import io.reapomni.devtools.synthetic.SyntheticCheckpoint;
import io.reapomni.devtools.synthetic.SyntheticModelSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Rewrite throughput on a synthetic checkpoint with the full model's layer shapes: a strip + 50% expert prune +
 * 4-layer drop, beside a plain copy of the same files in the same run, with bytes read and written and peak heap;
 * with {@code --through-stack}, the same job also through the services of the embedded stack (see
 * {@link StackComparison}).
 */
@Command(name = "rewrite", mixinStandardHelpOptions = true,
        description = "Rewrite throughput (strip + 50%% experts + 4 layers) against a plain copy, on full-width layers;"
                + " with --through-stack also as jobs through the embedded stack's services.")
public final class RewriteBenchmark implements Callable<Integer> {
    @Option(names = "--layers", defaultValue = "6", description = "Thinker layers of 128 experts of 768 x 2048 (default: ${DEFAULT-VALUE}; 1.2 GB each).")
    int layers;

    @Option(names = "--vocab", defaultValue = "32768", description = "Vocabulary of the embedding and LM head (default: ${DEFAULT-VALUE}; the full model has 151936).")
    int vocab;

    @Option(names = "--shard-size", defaultValue = "4096", description = "Largest shard in MiB (default: ${DEFAULT-VALUE}).")
    long shardMiB;

    @Option(names = "--work-dir", description = "Where to write the checkpoints (default: a temporary folder, removed afterwards).")
    Path workDir;

    @Option(names = "--through-stack", description = {"Also run the job through the services of the embedded stack"
            + " (the running one, or one started for it and stopped after; its start is not timed): its first job,"
            + " then rounds of one in-process rewrite and one job through the stack, each output checked against the"
            + " in-process one's bytes."})
    boolean throughStack;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "3",
            description = "With --through-stack: rounds of one in-process rewrite and one job"
                    + " (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Mixin
    RunFolderOption runFolder;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (layers < 6) {
            throw new IllegalArgumentException("--layers must be at least 6, so that 4 layers can go and 2 remain");
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be at least 1, got " + rounds);
        }
        PrintWriter out = spec.commandLine().getOut();
        Path root = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("reap-omni-bench");
        try {
            Path model = root.resolve("model");
            HeapPeak.reset();
            long started = System.nanoTime();
            long tensorBytes = SyntheticCheckpoint.write(model, SyntheticModelSpec.fullWidth(layers, vocab, shardMiB << 20));
            double generateSeconds = seconds(started);
            out.printf("synthetic checkpoint: %d layers x 128 experts of 768x2048, %s of tensors in %s, written in %.1f s%n",
                    layers, Units.bytes(tensorBytes), model, generateSeconds);
            out.flush();

            LocalObjectStore source = new LocalObjectStore(model);
            Measurement copy = plainCopy(source, root.resolve("copy"));
            deleteTree(root.resolve("copy"));
            PlanChoices choices = choices(layers);
            Path reference = root.resolve("pruned");
            Measurement rewrite = rewrite(source, choices, reference);
            Optional<StackComparison.Result> stack = throughStack
                    ? Optional.of(compareWithStack(out, model, choices, reference, root)) : Optional.empty();

            out.printf("%n%-50s %10s %10s %12s %14s %9s %10s%n", "run", "read", "written", "write rate",
                    "checkpoint/s", "seconds", "peak heap");
            print(out, "plain copy of the checkpoint (baseline)", copy, tensorBytes);
            print(out, "strip vision + 50% experts + drop 4 layers", rewrite, tensorBytes);
            stack.ifPresent(result -> {
                print(out, "  in-process, median of " + rounds, Measurement.median(result.inProcess()), tensorBytes);
                print(out, "  through the stack: its first job", result.firstJob(), tensorBytes);
                print(out, "  through the stack, median of " + rounds, Measurement.median(result.throughStack()),
                        tensorBytes);
            });
            out.printf("the rewrite took %.2f of the plain copy's time%n", rewrite.seconds() / copy.seconds());
            stack.ifPresent(result -> printComparison(out, result));
            out.printf("%nthe rewrite read %s of tensors in place (kernel-side copy) and %s more to hash them;"
                    + " max heap %s%n", Units.bytes(rewrite.copiedInPlace()), Units.bytes(rewrite.read() - rewrite.copiedInPlace()),
                    Units.bytes(Runtime.getRuntime().maxMemory()));
        } finally {
            if (workDir == null) {
                deleteTree(root);
            }
        }
        out.flush();
        return 0;
    }

    /** Strip vision, keep the even experts (64 of 128), drop the 4 middle layers. */
    private static PlanChoices choices(int layers) {
        List<Integer> evenExperts = IntStream.range(0, 64).map(i -> 2 * i).boxed().toList();
        List<Integer> middleLayers = IntStream.range(layers / 2 - 2, layers / 2 + 2).boxed().toList();
        return new PlanChoices(Set.of(Strip.VISION), MoeStack.THINKER, evenExperts, new TreeMap<>(), middleLayers,
                Optional.empty());
    }

    private StackComparison.Result compareWithStack(PrintWriter out, Path model, PlanChoices choices, Path reference,
                                                    Path root) throws Exception {
        LocalPruneRequest job = new LocalPruneRequest(model, Optional.of(root.resolve("through-stack")), choices,
                Optional.empty());
        out.println();
        try (StackSession stack = StackSession.open(runFolder.folder(), ReapHome.locate(),
                StackSettings.of(1, job.folders()), out)) {
            return new StackComparison(stack, model, choices, reference, root, out).run(rounds);
        }
    }

    private static void printComparison(PrintWriter out, StackComparison.Result result) {
        double inProcess = Measurement.median(result.inProcess()).seconds();
        double throughStack = Measurement.median(result.throughStack()).seconds();
        out.printf("through the running stack a job took %.2fx the in-process rewrite's time (medians, request to"
                        + " completion; in-process %s s, through the stack %s s); its first job %.2fx; every output"
                        + " held the in-process model files, byte for byte%n", throughStack / inProcess,
                secondsOf(result.inProcess()), secondsOf(result.throughStack()),
                result.firstJob().seconds() / inProcess);
    }

    private static String secondsOf(List<Measurement> runs) {
        return runs.stream().map(run -> String.format("%.1f", run.seconds())).collect(Collectors.joining(", "));
    }

    private static Measurement plainCopy(LocalObjectStore source, Path target) throws Exception {
        LocalObjectStore copy = new LocalObjectStore(Files.createDirectories(target));
        Counter counter = new Counter();
        HeapPeak.reset();
        long started = System.nanoTime();
        long bytes = 0;
        for (ObjectInfo object : source.list()) {
            copy.write(object.key(), List.of(new Segment.Range(source, object.key(), 0, object.size())), counter);
            bytes += object.size();
        }
        return new Measurement(bytes, bytes, counter.inPlace.get(), seconds(started), HeapPeak.bytes());
    }

    /** What {@code prune --in-process} does once started: open the checkpoint, plan, rewrite. */
    static Measurement rewrite(LocalObjectStore source, PlanChoices choices, Path target) throws Exception {
        HeapPeak.reset();
        long started = System.nanoTime();
        RewriteResult result;
        CheckpointRewriter rewriter = new CheckpointRewriter(source);
        ValidatedPlan plan = choices.plan(Checkpoint.open(source));
        try (OutputTarget output = OutputTarget.open(new StoreLocation.Local(target), () -> {
            throw new IllegalStateException("local benchmark");
        }, rewriter.claim("benchmark", plan))) {
            result = rewriter.rewrite(plan, output, RewriteListener.NONE);
        }
        double seconds = seconds(started);
        long read = result.transfer().bytesCopiedInPlace() + result.transfer().bytesStreamed() + result.transfer().bytesHashed();
        return new Measurement(read, result.transfer().bytesWritten(), result.transfer().bytesCopiedInPlace(), seconds,
                HeapPeak.bytes());
    }

    /** {@code checkpoint/s}: the source checkpoint's size over the run's time, the rate a user sees a model go through. */
    private static void print(PrintWriter out, String name, Measurement m, long checkpointBytes) {
        out.printf("%-50s %10s %10s %12s %14s %9.1f %10s%n", name, amount(m.read()), Units.bytes(m.written()),
                Units.rate(m.written(), m.seconds()), Units.rate(checkpointBytes, m.seconds()), m.seconds(),
                amount(m.peakHeap()));
    }

    private static String amount(long bytes) {
        return bytes == Measurement.NOT_MEASURED ? "-" : Units.bytes(bytes);
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    static void deleteTree(Path root) throws IOException {
        if (Files.exists(root)) {
            TemporaryFolder.delete(root);
        }
    }

    private static final class Counter implements CopyListener {
        final AtomicLong inPlace = new AtomicLong();

        @Override
        public void copiedInPlace(long bytes) {
            inPlace.addAndGet(bytes);
        }
    }
}
