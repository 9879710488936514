package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.IValue;
import io.reapomni.calibration.torch.TorchScriptKernels;

import java.util.List;

/**
 * The layers' fused operations, run by {@link TorchScriptKernels}: causal attention through
 * {@code scaled_dot_product_attention} (FlashAttention on a GPU) never materialises a [T, T] score matrix, and a
 * chunk of the MoE (its sort, expert products, gather back and REAP sums) runs in one call, so that the host issues
 * them from C++ rather than one JNI call each.
 */
final class ScriptedKernels {
    private ScriptedKernels() {
    }

    /**
     * Causal attention over one batch of samples padded to one length, each sample attending to its own rows only.
     *
     * @param q       queries of the whole stream [N, heads, d]
     * @param k       keys [N, kvHeads, d]; each serves {@code heads / kvHeads} consecutive query heads
     * @param v       values [N, kvHeads, d]
     * @param rows    the stream row of each of the batch's {@code samples × length} padded rows
     * @param scale   what the products q·k are scaled by before the softmax
     * @return the batch's padded context [samples × length, heads × d], sample after sample, on {@code q}'s manager
     */
    static NDArray causalAttention(NDArray q, NDArray k, NDArray v, NDArray rows, int samples, int length,
                                   double scale) {
        try (IValue query = IValue.from((PtNDArray) q);
             IValue key = IValue.from((PtNDArray) k);
             IValue value = IValue.from((PtNDArray) v);
             IValue index = IValue.from((PtNDArray) rows);
             IValue batchSize = IValue.from((long) samples);
             IValue batchLength = IValue.from((long) length);
             IValue scaling = IValue.from(scale);
             IValue context = TorchScriptKernels.get().run("causal_attention", query, key, value, index, batchSize,
                     batchLength, scaling)) {
            return context.toTensor((PtNDManager) q.getManager());
        }
    }

    /**
     * Where a chunk's index arrays lie in the layer's one transfer ({@link IndexUpload}).
     *
     * @param paddedSources     for each padded row, the sorted position it reads ({@link ExpertRuns})
     * @param paddedRowOfSorted for each sorted position, the padded row holding its output
     * @param starts            each expert's first sorted position
     * @param ends              one past its last
     */
    record ChunkIndices(IndexUpload.Slice paddedSources, IndexUpload.Slice paddedRowOfSorted, IndexUpload.Slice starts,
                        IndexUpload.Slice ends) {
        /** The offsets and lengths in the order {@code expert_chunk} reads them. */
        long[] plan() {
            return new long[] {paddedSources.offset(), paddedSources.length(), paddedRowOfSorted.offset(),
                    paddedRowOfSorted.length(), starts.offset(), starts.length(), ends.offset()};
        }
    }

    /**
     * One chunk of the MoE in one call: the chunk's assignments sorted by expert, every bucket's experts on their
     * padded rows (one batched product a bucket, their weights gathered, a single expert's a view, with the SwiGLU
     * between), the outputs gathered back to token order {@code gatherTokens} tokens at a time and weighted and summed
     * as one batched product ([1, k] × [k, hidden] a token) in the outputs' precision, and each expert's REAP sums in
     * float64 from the same outputs.
     *
     * @param x            the stream's tokens [N, hidden] in the weights' dtype; the chunk is
     *                     [{@code firstToken}, {@code firstToken + tokens})
     * @param chosen       [N, k] expert ids, descending weight
     * @param weights      [N, k] their routing weights, float32
     * @param gateUps      [experts, 2 × intermediate, hidden]
     * @param downs        [experts, hidden, intermediate]
     * @param indices      the layer's sent index arrays, where {@code chunk}'s and {@code bucketExperts}' slices lie
     * @return the chunk's weighted outputs [tokens, hidden] in float32, and per expert Σ gate × ‖f‖ and Σ gate, in
     *         float64; on {@code x}'s manager
     */
    static NDList expertChunk(NDArray x, NDArray chosen, NDArray weights, NDArray gateUps, NDArray downs,
                              NDArray indices, int firstToken, int tokens, ChunkIndices chunk, int gatherTokens,
                              ExpertRuns runs, List<IndexUpload.Slice> bucketExperts) {
        List<ExpertRuns.Bucket> buckets = runs.buckets();
        try (IValue stream = IValue.from((PtNDArray) x);
             IValue experts = IValue.from((PtNDArray) chosen);
             IValue gates = IValue.from((PtNDArray) weights);
             IValue gateUp = IValue.from((PtNDArray) gateUps);
             IValue down = IValue.from((PtNDArray) downs);
             IValue index = IValue.from((PtNDArray) indices);
             IValue first = IValue.from((long) firstToken);
             IValue count = IValue.from((long) tokens);
             IValue plan = IValue.listFrom(chunk.plan());
             IValue gather = IValue.from((long) gatherTokens);
             IValue firstRows = IValue.listFrom(buckets.stream().mapToLong(ExpertRuns.Bucket::firstRow).toArray());
             IValue rowsPerExpert = IValue.listFrom(
                     buckets.stream().mapToLong(ExpertRuns.Bucket::rowsPerExpert).toArray());
             IValue counts = IValue.listFrom(buckets.stream().mapToLong(bucket -> bucket.experts().length).toArray());
             IValue offsets = IValue.listFrom(bucketExperts.stream().mapToLong(IndexUpload.Slice::offset).toArray());
             IValue firstExperts = IValue.listFrom(buckets.stream().mapToLong(bucket -> bucket.experts()[0]).toArray());
             IValue results = TorchScriptKernels.get().run("expert_chunk", stream, experts, gates, gateUp, down,
                     index, first, count, plan, gather, firstRows, rowsPerExpert, counts, offsets, firstExperts)) {
            return new NDList(results.toTensorArray((PtNDManager) x.getManager()));
        }
    }

    /** {@code x} normalised over its last axis by its root mean square, then weighted, in {@code x}'s precision. */
    static NDArray rmsNorm(NDArray x, NDArray weight, float eps) {
        try (IValue input = IValue.from((PtNDArray) x);
             IValue scale = IValue.from((PtNDArray) weight);
             IValue epsilon = IValue.from((double) eps);
             IValue normed = TorchScriptKernels.get().run("rms_norm", input, scale, epsilon)) {
            return normed.toTensor((PtNDManager) x.getManager());
        }
    }

    /** {@code x} normalised in float32, rounded to {@code type}, then weighted in {@code type}. */
    static NDArray rmsNormRounded(NDArray x, NDArray weight, float eps, DataType type) {
        try (IValue input = IValue.from((PtNDArray) x);
             IValue scale = IValue.from((PtNDArray) weight);
             IValue epsilon = IValue.from((double) eps);
             IValue rounding = IValue.from(TorchScriptKernels.scalarType(type));
             IValue normed = TorchScriptKernels.get().run("rms_norm_rounded", input, scale, epsilon, rounding)) {
            return normed.toTensor((PtNDManager) x.getManager());
        }
    }

    /** {@code x} [..., headDim] rotated by the tables, in the "rotate half" layout. */
    static NDArray rotate(NDArray x, NDArray cos, NDArray sin) {
        try (IValue input = IValue.from((PtNDArray) x);
             IValue cosines = IValue.from((PtNDArray) cos);
             IValue sines = IValue.from((PtNDArray) sin);
             IValue rotated = TorchScriptKernels.get().run("rotate", input, cosines, sines)) {
            return rotated.toTensor((PtNDManager) x.getManager());
        }
    }

    /**
     * Projected, per-head normed and rotated queries or keys in one call: {@code x} [N, hidden] times the
     * projection in its precision, viewed as [N, heads, d], each head normed as {@link #rmsNormRounded} does in that
     * precision, and rotated by {@code rope}'s tables (in that precision, [N, 1, d]).
     */
    static NDArray rotatedHeads(NDArray x, Linear projection, RmsNorm norm, int heads, RotaryEmbedding rope) {
        try (IValue input = IValue.from((PtNDArray) x);
             IValue weight = IValue.from((PtNDArray) projection.weight());
             IValue bias = IValue.listFrom(projection.bias().stream().map(PtNDArray.class::cast)
                     .toArray(PtNDArray[]::new));
             IValue normWeight = IValue.from((PtNDArray) norm.weight());
             IValue epsilon = IValue.from((double) norm.eps());
             IValue headCount = IValue.from((long) heads);
             IValue cosines = IValue.from((PtNDArray) rope.cos());
             IValue sines = IValue.from((PtNDArray) rope.sin());
             IValue rotated = TorchScriptKernels.get().run("rotated_heads", input, weight, bias, normWeight, epsilon,
                     headCount, cosines, sines)) {
            return rotated.toTensor((PtNDManager) x.getManager());
        }
    }
}
