package io.reapomni.cli.benchmark;

import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.format.Units;
import io.reapomni.common.plan.ExpertChoice;
import io.reapomni.common.plan.PlanBuilder;
import io.reapomni.common.plan.PlanRequest;
import io.reapomni.common.plan.PruningPlan;
import io.reapomni.common.plan.Strip;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.rewrite.CheckpointRewriter;
import io.reapomni.common.rewrite.OutputTarget;
import io.reapomni.common.rewrite.RewriteListener;
import io.reapomni.common.rewrite.RewriteResult;
import io.reapomni.common.storage.CopyListener;
import io.reapomni.common.storage.LocalObjectStore;
import io.reapomni.common.storage.ObjectInfo;
import io.reapomni.common.storage.Segment;
import io.reapomni.common.storage.StoreLocation;
import io.reapomni.common.synthetic.SyntheticCheckpoint;
import io.reapomni.common.synthetic.SyntheticModelSpec;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * Rewrite throughput on a synthetic checkpoint with the full model's layer shapes: a strip + 50% expert prune +
 * 4-layer drop, beside a plain copy of the same files in the same run, with bytes read and written and peak heap.
 */
@Command(name = "rewrite", mixinStandardHelpOptions = true,
        description = "Rewrite throughput (strip + 50%% experts + 4 layers) against a plain copy, on full-width layers.")
public final class RewriteBenchmark implements Callable<Integer> {
    @Option(names = "--layers", defaultValue = "6", description = "Thinker layers of 128 experts of 768 x 2048 (default: ${DEFAULT-VALUE}; 1.2 GB each).")
    int layers;

    @Option(names = "--vocab", defaultValue = "32768", description = "Vocabulary of the embedding and LM head (default: ${DEFAULT-VALUE}; the full model has 151936).")
    int vocab;

    @Option(names = "--shard-size", defaultValue = "4096", description = "Largest shard in MiB (default: ${DEFAULT-VALUE}).")
    long shardMiB;

    @Option(names = "--work-dir", description = "Where to write the checkpoints (default: a temporary folder, removed afterwards).")
    Path workDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (layers < 6) {
            throw new IllegalArgumentException("--layers must be at least 6, so that 4 layers can go and 2 remain");
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
            Measurement rewrite = rewrite(source, root.resolve("pruned"));

            out.printf("%n%-44s %10s %10s %12s %14s %9s %10s%n", "run", "read", "written", "write rate",
                    "checkpoint/s", "seconds", "peak heap");
            print(out, "plain copy of the checkpoint (baseline)", copy, tensorBytes);
            print(out, "strip vision + 50% experts + drop 4 layers", rewrite, tensorBytes);
            out.printf("the rewrite took %.2f of the plain copy's time%n", rewrite.seconds() / copy.seconds());
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

    private static Measurement rewrite(LocalObjectStore source, Path target) throws Exception {
        Checkpoint checkpoint = Checkpoint.open(source);
        int layers = checkpoint.config().stack(MoeStack.THINKER).numHiddenLayers();
        List<Integer> evenExperts = IntStream.range(0, 64).map(i -> 2 * i).boxed().toList();
        List<Integer> middleLayers = IntStream.range(layers / 2 - 2, layers / 2 + 2).boxed().toList();
        PruningPlan plan = PlanBuilder.build(checkpoint, new PlanRequest(Set.of(Strip.VISION), MoeStack.THINKER,
                java.util.Optional.of(new ExpertChoice.SameForEveryLayer(evenExperts)), middleLayers,
                JsonNodeFactory.instance.objectNode()));
        HeapPeak.reset();
        long started = System.nanoTime();
        RewriteResult result;
        try (OutputTarget output = OutputTarget.open(new StoreLocation.Local(target), () -> {
            throw new IllegalStateException("local benchmark");
        }, "benchmark")) {
            result = new CheckpointRewriter(source, checkpoint).rewrite(plan, output, "benchmark", RewriteListener.NONE);
        }
        double seconds = seconds(started);
        long read = result.transfer().bytesCopiedInPlace() + result.transfer().bytesStreamed() + result.transfer().bytesHashed();
        return new Measurement(read, result.transfer().bytesWritten(), result.transfer().bytesCopiedInPlace(), seconds,
                HeapPeak.bytes());
    }

    /** {@code checkpoint/s}: the source checkpoint's size over the run's time, the rate a user sees a model go through. */
    private static void print(PrintWriter out, String name, Measurement m, long checkpointBytes) {
        out.printf("%-44s %10s %10s %12s %14s %9.1f %10s%n", name, Units.bytes(m.read()), Units.bytes(m.written()),
                Units.rate(m.written(), m.seconds()), Units.rate(checkpointBytes, m.seconds()), m.seconds(),
                Units.bytes(m.peakHeap()));
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    private static void deleteTree(Path root) throws java.io.IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private record Measurement(long read, long written, long copiedInPlace, double seconds, long peakHeap) {
    }

    private static final class Counter implements CopyListener {
        final AtomicLong inPlace = new AtomicLong();

        @Override
        public void copiedInPlace(long bytes) {
            inPlace.addAndGet(bytes);
        }
    }
}
