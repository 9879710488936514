package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
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
        return TorchScriptKernels.get().call("causal_attention").tensor(q).tensor(k).tensor(v).tensor(rows)
                .integer(samples).integer(length).real(scale).returningTensor(q.getManager());
    }

    /**
     * Where a chunk's expert runs ({@link ExpertRuns}) lie in the layer's one transfer ({@link IndexUpload}).
     *
     * @param starts       each expert's first sorted position
     * @param ends         one past its last
     * @param paddedStarts each expert's first padded row
     * @param paddedRows   its padded rows
     * @param paddedOrder  the experts with rows in padded order, which is also each bucket's experts in turn
     * @param paddedTotal  the chunk's padded rows
     */
    record ChunkIndices(IndexUpload.Slice starts, IndexUpload.Slice ends, IndexUpload.Slice paddedStarts,
                        IndexUpload.Slice paddedRows, IndexUpload.Slice paddedOrder, long paddedTotal) {
        static ChunkIndices of(ExpertRuns runs, IndexUpload upload) {
            return new ChunkIndices(upload.add(runs.starts()), upload.add(runs.ends()),
                    upload.add(runs.paddedStarts()), upload.add(runs.paddedRows()), upload.add(runs.paddedOrder()),
                    runs.paddedTotal());
        }

        /** The offsets and lengths in the order {@code expert_chunk} reads them. */
        long[] plan() {
            return new long[] {starts.offset(), starts.length(), ends.offset(), paddedStarts.offset(),
                    paddedRows.offset(), paddedOrder.offset(), paddedOrder.length(), paddedTotal};
        }

        /** Where each bucket's experts begin: in the padded order, one bucket after another. */
        long[] bucketExpertOffsets(List<ExpertRuns.Bucket> buckets) {
            long[] offsets = new long[buckets.size()];
            long offset = paddedOrder.offset();
            for (int bucket = 0; bucket < offsets.length; bucket++) {
                offsets[bucket] = offset;
                offset += buckets.get(bucket).experts().length;
            }
            return offsets;
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
     * @param indices      the layer's sent index arrays, where {@code chunk}'s slices lie
     * @return the chunk's weighted outputs [tokens, hidden] in float32, and per expert Σ gate × ‖f‖ and Σ gate, in
     *         float64; on {@code x}'s manager
     */
    static NDList expertChunk(NDArray x, NDArray chosen, NDArray weights, NDArray gateUps, NDArray downs,
                              NDArray indices, int firstToken, int tokens, ChunkIndices chunk, int gatherTokens,
                              ExpertRuns runs) {
        List<ExpertRuns.Bucket> buckets = runs.buckets();
        return TorchScriptKernels.get().call("expert_chunk").tensor(x).tensor(chosen).tensor(weights).tensor(gateUps)
                .tensor(downs).tensor(indices).integer(firstToken).integer(tokens).integers(chunk.plan())
                .integer(gatherTokens)
                .integers(buckets.stream().mapToLong(ExpertRuns.Bucket::firstRow).toArray())
                .integers(buckets.stream().mapToLong(ExpertRuns.Bucket::rowsPerExpert).toArray())
                .integers(buckets.stream().mapToLong(bucket -> bucket.experts().length).toArray())
                .integers(chunk.bucketExpertOffsets(buckets))
                .integers(buckets.stream().mapToLong(bucket -> bucket.experts()[0]).toArray())
                .returningTensors(x.getManager());
    }

    /** {@code x} normalised over its last axis by its root mean square, then weighted, in {@code x}'s precision. */
    static NDArray rmsNorm(NDArray x, NDArray weight, float eps) {
        return TorchScriptKernels.get().call("rms_norm").tensor(x).tensor(weight).real(eps)
                .returningTensor(x.getManager());
    }

    /** {@code x} normalised in float32, rounded to {@code type}, then weighted in {@code type}. */
    static NDArray rmsNormRounded(NDArray x, NDArray weight, float eps, DataType type) {
        return TorchScriptKernels.get().call("rms_norm_rounded").tensor(x).tensor(weight).real(eps)
                .integer(TorchScriptKernels.scalarType(type)).returningTensor(x.getManager());
    }

    /** {@code x} [..., headDim] rotated by the tables, in the "rotate half" layout. */
    static NDArray rotate(NDArray x, NDArray cos, NDArray sin) {
        return TorchScriptKernels.get().call("rotate").tensor(x).tensor(cos).tensor(sin).returningTensor(x.getManager());
    }

    /**
     * Projected, per-head normed and rotated queries or keys in one call: {@code x} [N, hidden] times the
     * projection in its precision, viewed as [N, heads, d], each head normed as {@link #rmsNormRounded} does in that
     * precision, and rotated by {@code rope}'s tables (in that precision, [N, 1, d]).
     */
    static NDArray rotatedHeads(NDArray x, Linear projection, RmsNorm norm, int heads, RotaryEmbedding rope) {
        return TorchScriptKernels.get().call("rotated_heads").tensor(x).tensor(projection.weight())
                .tensors(projection.bias().stream().toList()).tensor(norm.weight()).real(norm.eps()).integer(heads)
                .tensor(rope.cos()).tensor(rope.sin()).returningTensor(x.getManager());
    }
}
