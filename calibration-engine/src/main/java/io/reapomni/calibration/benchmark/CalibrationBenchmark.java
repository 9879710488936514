package io.reapomni.calibration.benchmark;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.reapomni.calibration.model.DecoderLayer;
import io.reapomni.calibration.model.LayerByLayerRunner;
import io.reapomni.calibration.model.MoeBlock;
import io.reapomni.calibration.model.ProgressListener;
import io.reapomni.calibration.model.ThinkerInput;
import io.reapomni.calibration.model.ThinkerLoader;
import io.reapomni.calibration.weights.CheckpointWeightSource;
import io.reapomni.common.checkpoint.ModelConfig;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.checkpoint.StackConfig;
import io.reapomni.common.storage.LocalObjectStore;
import io.reapomni.common.synthetic.SyntheticCheckpoint;
import io.reapomni.common.synthetic.SyntheticModelSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Measures calibration throughput on a synthetic checkpoint of the full model's thinker layer shapes, written into a
 * temporary folder that is removed afterwards. Beside the run it times one MoE block computed sparsely (each expert
 * on its routed tokens, as calibration does) and densely (every expert on every token), so that the throughput has
 * a baseline measured on the same machine in the same run.
 */
public final class CalibrationBenchmark {
    /** A small vocabulary: the embedding table and the head are not what calibration spends its time on. */
    private static final int VOCAB = 8192;
    /** SyntheticConfig puts the special (media) tokens in the vocabulary's last ten ids. */
    private static final int SPECIAL_TOKENS = 10;
    private static final long SHARD_BYTES = 2L << 30;
    private static final long SEED = 20261129L;

    private CalibrationBenchmark() {
    }

    public static BenchmarkResult run(BenchmarkSpec spec, ProgressListener progress) throws IOException {
        Path folder = Files.createTempDirectory("reap-omni-benchmark-");
        try {
            long bytes = SyntheticCheckpoint.write(folder, SyntheticModelSpec.fullWidth(spec.layers(), VOCAB,
                    SHARD_BYTES));
            ModelConfig config = ModelConfig.parse(Files.readAllBytes(folder.resolve("config.json")));
            CheckpointWeightSource weights = CheckpointWeightSource.open(new LocalObjectStore(folder));
            List<ThinkerInput> inputs = RandomTextInputs.of(spec.samples(), spec.tokensPerSample(),
                    VOCAB - SPECIAL_TOKENS, SEED);

            long start = System.nanoTime();
            new LayerByLayerRunner(weights, config, spec.compute()).run(inputs, progress);
            double calibrationSeconds = secondsSince(start);

            MoeTimings moe = timeFirstMoeBlock(weights, config.stack(MoeStack.THINKER), spec, inputs.get(0));
            return new BenchmarkResult(spec, bytes, calibrationSeconds, moe.sparseSeconds(), moe.denseSeconds());
        } finally {
            deleteRecursively(folder);
        }
    }

    private record MoeTimings(double sparseSeconds, double denseSeconds) {
    }

    /** The sparse and the dense MoE block of layer 0 over one sample's normed embeddings. */
    private static MoeTimings timeFirstMoeBlock(CheckpointWeightSource weights, StackConfig stack, BenchmarkSpec spec,
                                              ThinkerInput sample) throws IOException {
        ThinkerLoader loader = new ThinkerLoader(weights, stack, spec.compute().precision());
        try (NDManager manager = NDManager.newBaseManager(spec.compute().device().toDjl())) {
            DecoderLayer layer = loader.layer(manager, 0);
            if (!(layer.feedForward() instanceof MoeBlock moe)) {
                throw new IllegalStateException("layer 0 of the synthetic checkpoint has no experts");
            }
            NDArray x = layer.postAttentionNorm().apply(loader.embedding().embed(manager, sample.tokenIds()));
            double sparse;
            try (NDManager scratch = manager.newSubManager()) {
                x.tempAttach(scratch);
                long start = System.nanoTime();
                moe.apply(x).output().toFloatArray();
                sparse = secondsSince(start);
            }
            double dense;
            try (NDManager scratch = manager.newSubManager()) {
                x.tempAttach(scratch);
                long start = System.nanoTime();
                moe.denseOutput(x).toFloatArray();
                dense = secondsSince(start);
            }
            return new MoeTimings(sparse, dense);
        }
    }

    private static double secondsSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void deleteRecursively(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
