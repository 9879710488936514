package io.reapomni.devtools.benchmark;

import io.reapomni.calibration.TemporaryFolder;
import io.reapomni.calibration.model.LayerByLayerRunner;
import io.reapomni.calibration.model.ProgressListener;
import io.reapomni.calibration.model.RunReport;
import io.reapomni.calibration.model.ThinkerInput;
import io.reapomni.calibration.stats.CalibrationObserver;
import io.reapomni.calibration.weights.CheckpointWeightSource;
import io.reapomni.calibration.weights.TensorBytes;
import io.reapomni.calibration.weights.TensorGroup;
import io.reapomni.calibration.weights.WeightStager;
import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.checkpoint.ModelConfig;
import io.reapomni.common.storage.LocalObjectStore;
import io.reapomni.devtools.synthetic.SyntheticCheckpoint;
import io.reapomni.devtools.synthetic.SyntheticModelSpec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Measures calibration throughput on a synthetic checkpoint of the full model's thinker layer shapes, written to a
 * temporary folder on disk and removed afterwards: the whole run as calibration does it (statistics included), with
 * per layer the seconds spent reading, decoding, placing and computing. Beside it, as the yardstick in the same run,
 * one layer's bytes read plainly by one thread: the staging is measured against what the storage gives a simple reader.
 * A short pass first takes what a worker pays once per process (the device's start) out of the measured run.
 */
public final class CalibrationBenchmark {
    /** A small vocabulary: the embedding table and the head are not what calibration spends its time on. */
    private static final int VOCAB = 8192;
    /** SyntheticConfig puts the special (media) tokens in the vocabulary's last ten ids. */
    private static final int SPECIAL_TOKENS = 10;
    private static final long SHARD_BYTES = 4L << 30;
    private static final long SEED = 20261129L;
    private static final Path DROP_CACHES = Path.of("/proc/sys/vm/drop_caches");

    private CalibrationBenchmark() {
    }

    public static BenchmarkResult run(BenchmarkSpec spec, ProgressListener progress) throws IOException {
        Path folder = Files.createTempDirectory("reap-omni-benchmark-");
        try {
            long bytes = SyntheticCheckpoint.write(folder, SyntheticModelSpec.fullWidth(spec.layers(), VOCAB,
                    SHARD_BYTES));
            LocalObjectStore store = new LocalObjectStore(folder);
            Checkpoint checkpoint = Checkpoint.open(store);
            ModelConfig config = checkpoint.config();
            List<ThinkerInput> inputs = RandomTextInputs.of(spec.samples(), spec.tokensPerSample(),
                    VOCAB - SPECIAL_TOKENS, SEED);
            CheckpointWeightSource source = CheckpointWeightSource.of(store, checkpoint);
            try (WeightStager stager = WeightStager.besideCompute(source)) {
                LayerByLayerRunner runner = new LayerByLayerRunner(stager, config, spec.compute());
                // a worker's once-per-process costs (the device's start, CUDA context, cuBLAS, kernels loaded on
                // first use, the allocator's first growth to the batch, plans for its shapes, pinning the staging
                // memory) are paid by a first pass of the same samples, as transformers' yardstick keeps the best of
                // three passes of its resident model
                Pass warmUp = pass(runner, inputs, spec, ProgressListener.NONE);
                BenchmarkResult.PageCache pageCache = preparePageCache(spec);
                Pass measured = pass(runner, inputs, spec, progress);
                preparePageCache(spec);
                BenchmarkResult.PlainRead baseline = plainRead(folder, source,
                        runner.thinker().layerGroups(spec.layers() - 1));
                return new BenchmarkResult(spec, bytes, measured.seconds(), measured.report(), pageCache, baseline,
                        warmUp.seconds(), stager.stagingMemory());
            }
        } finally {
            TemporaryFolder.delete(folder);
        }
    }

    /** A run's report and its seconds: every layer read, decoded, placed and computed, and the statistics taken. */
    private record Pass(RunReport report, double seconds) {
    }

    /** The samples through every layer, with REAP's statistics taken from them as a calibration does. */
    private static Pass pass(LayerByLayerRunner runner, List<ThinkerInput> inputs, BenchmarkSpec spec,
                             ProgressListener progress) throws IOException {
        try (CalibrationObserver observer = new CalibrationObserver(spec.compute().device().toDjl())) {
            long start = System.nanoTime();
            RunReport report = runner.run(inputs, observer, progress);
            observer.statistics();
            return new Pass(report, (System.nanoTime() - start) / 1e9);
        }
    }

    private static BenchmarkResult.PageCache preparePageCache(BenchmarkSpec spec) {
        if (!spec.dropPageCache()) {
            return new BenchmarkResult.PageCache(false, "warm: the checkpoint was just written, so its pages are "
                    + "mostly in memory");
        }
        try {
            new ProcessBuilder("sync").inheritIO().start().waitFor();
            Files.writeString(DROP_CACHES, "3", StandardCharsets.US_ASCII);
            return new BenchmarkResult.PageCache(true, "dropped before the run: weights read from the disk");
        } catch (IOException e) {
            return new BenchmarkResult.PageCache(false, "could not be dropped (" + e.getMessage()
                    + "; root only): warm");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new BenchmarkResult.PageCache(false, "interrupted before dropping it: warm");
        }
    }

    /** The bytes of a layer's tensors read in order, by one thread, through one reused 8 MiB buffer. */
    private static BenchmarkResult.PlainRead plainRead(Path folder, CheckpointWeightSource source,
                                                       List<TensorGroup> layer) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(8 << 20);
        long bytes = 0;
        long start = System.nanoTime();
        for (TensorGroup group : layer) {
            for (String name : group.names()) {
                TensorBytes tensor = source.locate(name);
                try (FileChannel channel = FileChannel.open(folder.resolve(tensor.shard()), StandardOpenOption.READ)) {
                    long position = tensor.offset();
                    long end = position + tensor.info().byteLength();
                    while (position < end) {
                        buffer.clear().limit((int) Math.min(buffer.capacity(), end - position));
                        int read = channel.read(buffer, position);
                        if (read < 0) {
                            throw new IOException(tensor.shard() + " ended inside " + name);
                        }
                        position += read;
                    }
                }
                bytes += tensor.info().byteLength();
            }
        }
        return new BenchmarkResult.PlainRead(bytes, (System.nanoTime() - start) / 1e9);
    }
}
