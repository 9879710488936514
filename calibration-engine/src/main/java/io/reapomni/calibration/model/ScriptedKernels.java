package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.IValue;
import io.reapomni.calibration.torch.TorchScriptKernels;

import java.util.List;

/**
 * The layers' fused operations, run by {@link TorchScriptKernels}: causal attention through
 * {@code scaled_dot_product_attention} (FlashAttention on a GPU) never materialises a [T, T] score matrix, and a
 * chunk's expert products run in one call, so that the host issues them from C++ rather than one JNI call each.
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
     * Every bucket's experts on their padded rows, one batched product a bucket (their weights gathered, a single
     * expert's a view), with the SwiGLU between: the unweighted outputs [padded rows, hidden] in {@code x}'s dtype.
     *
     * @param x            a chunk's tokens [n, hidden] in the weights' dtype
     * @param paddedTokens the token each padded row reads, [padded rows]
     * @param gateUps      [experts, 2 × intermediate, hidden]
     * @param downs        [experts, hidden, intermediate]
     * @param indices      the array where each bucket's expert ids lie, at {@code bucketExperts}' slices
     */
    static NDArray expertOutputs(NDArray x, NDArray paddedTokens, NDArray gateUps, NDArray downs, NDArray indices,
                                 ExpertRuns runs, List<IndexUpload.Slice> bucketExperts) {
        List<ExpertRuns.Bucket> buckets = runs.buckets();
        try (IValue tokens = IValue.from((PtNDArray) x);
             IValue padded = IValue.from((PtNDArray) paddedTokens);
             IValue gateUp = IValue.from((PtNDArray) gateUps);
             IValue down = IValue.from((PtNDArray) downs);
             IValue index = IValue.from((PtNDArray) indices);
             IValue firstRows = IValue.listFrom(buckets.stream().mapToLong(ExpertRuns.Bucket::firstRow).toArray());
             IValue rowsPerExpert = IValue.listFrom(
                     buckets.stream().mapToLong(ExpertRuns.Bucket::rowsPerExpert).toArray());
             IValue counts = IValue.listFrom(buckets.stream().mapToLong(bucket -> bucket.experts().length).toArray());
             IValue offsets = IValue.listFrom(bucketExperts.stream().mapToLong(IndexUpload.Slice::offset).toArray());
             IValue firstExperts = IValue.listFrom(buckets.stream().mapToLong(bucket -> bucket.experts()[0]).toArray());
             IValue outputs = TorchScriptKernels.get().run("expert_outputs", tokens, padded, gateUp, down, index,
                     firstRows, rowsPerExpert, counts, offsets, firstExperts)) {
            return outputs.toTensor((PtNDManager) x.getManager());
        }
    }
}
