package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The sparse MoE feed-forward: a float32 router, top-k routing on the device, and each expert computed only on the
 * tokens routed to it. Assignments are sorted by expert so that each expert's tokens are one contiguous run and one
 * product over rows gathered straight from the stream (padded on a GPU, {@link ExpertRuns}); its outputs land in one
 * buffer in that order. The only read back to the host is the count of tokens per expert, once per chunk
 * ({@link MoeDispatch}). The REAP sums of every expert are computed on the device in float64 from the same outputs,
 * so that statistics cost no extra pass.
 *
 * @param router   [experts, hidden], float32
 * @param experts  in the compute precision
 * @param dispatch how many tokens are sorted, computed and gathered back at once
 */
public record MoeBlock(NDArray router, List<GatedMlp> experts, int topK, boolean normTopkProb, MoeDispatch dispatch)
        implements FeedForward {

    public MoeBlock {
        experts = List.copyOf(experts);
        if (router.getShape().get(0) != experts.size()) {
            throw new IllegalArgumentException("router scores " + router.getShape().get(0) + " experts, the layer has "
                    + experts.size());
        }
        if (topK > experts.size()) {
            throw new IllegalArgumentException("top-" + topK + " of " + experts.size() + " experts");
        }
    }

    @Override
    public FeedForwardResult apply(NDArray x, StreamLayout layout) {
        long hidden = x.getShape().get(1);
        NDArray logits = Linear.timesTransposed(x, router);
        NDList top = logits.softmax(-1).topK(topK, -1, true, true);
        NDArray weights = top.get(0);
        if (normTopkProb) {
            weights = weights.div(weights.sum(new int[] {-1}, true));
        }
        NDArray chosen = top.get(1);
        NDArray compute = x.toType(experts.get(0).weightType(), false);
        NDList outputs = new NDList();
        List<ExpertRouting.ExpertChunk> chunks = new ArrayList<>();
        for (StreamLayout.Segment segment : layout.segments()) {
            for (int start = segment.start(); start < segment.end(); start += dispatch.chunkTokens()) {
                int end = Math.min(segment.end(), start + dispatch.chunkTokens());
                NDIndex rows = new NDIndex().addSliceDim(start, end);
                ChunkResult result = applyChunk(compute.get(rows), chosen.get(rows), weights.get(rows), start, end,
                        hidden);
                outputs.add(result.output());
                chunks.add(result.sums());
            }
        }
        NDArray output = outputs.size() == 1 ? outputs.singletonOrThrow() : NDArrays.concat(outputs, 0);
        return new FeedForwardResult(output, Optional.of(new ExpertRouting(logits, chunks)));
    }

    private record ChunkResult(NDArray output, ExpertRouting.ExpertChunk sums) {
    }

    /**
     * One chunk's output and sums; its buffers and every expert's intermediates are freed before the next chunk.
     *
     * @param x       [n, hidden] in the weights' dtype
     * @param chosen  [n, k] expert ids, descending weight
     * @param weights [n, k] their routing weights, float32
     */
    private ChunkResult applyChunk(NDArray x, NDArray chosen, NDArray weights, int start, int end, long hidden) {
        long[][] counts = new long[1][];
        NDList kept = Scratch.keepAll(in -> {
            NDManager manager = in.get(0).getManager();
            int tokens = end - start;
            long assignments = (long) tokens * topK;
            int expertCount = experts.size();
            NDArray flatExperts = in.get(1).reshape(assignments);
            // unique sort keys (expert, then assignment) make the order deterministic without a stable sort
            NDArray order = flatExperts.mul(assignments)
                    .add(manager.arange(0, Math.toIntExact(assignments), 1, DataType.INT64))
                    .argSort(0, true);
            counts[0] = flatExperts.expandDims(1)
                    .eq(manager.arange(0, expertCount, 1, DataType.INT64).reshape(1, expertCount))
                    .sum(new int[] {0})
                    .toLongArray();
            NDArray sortedTokens = manager.arange(0, tokens, 1, DataType.INT64).expandDims(1)
                    .broadcast(new Shape(tokens, topK)).reshape(assignments).get(order);
            NDArray flatWeights = in.get(2).reshape(assignments);

            // each expert's outputs, unweighted, in padded sorted order
            ExpertRuns runs = ExpertRuns.of(counts[0], dispatch.rowMultiple());
            NDArray paddedTokens = sortedTokens.get(OwnedArrays.longs(manager, runs.sortedSourceOfPaddedRows()));
            NDArray unweighted = manager.create(new Shape(runs.paddedTotal(), hidden), in.get(0).getDataType());
            for (int expert = 0; expert < expertCount; expert++) {
                if (runs.paddedRows()[expert] > 0) {
                    GatedMlp mlp = experts.get(expert);
                    NDIndex run = new NDIndex().addSliceDim(runs.paddedStarts()[expert],
                            runs.paddedStarts()[expert] + runs.paddedRows()[expert]);
                    Scratch.run(lent -> unweighted.set(run,
                            mlp.applyInWeightType(lent.get(0).get(lent.get(1).get(run)))), in.get(0), paddedTokens);
                }
            }
            NDArray norms = manager.create(new Shape(assignments), DataType.FLOAT32);
            NDArray paddedRowOfAssignment = OwnedArrays.longs(manager, runs.paddedRowOfSorted())
                    .get(order.argSort(0, true));
            NDArray output = gatherBack(unweighted, paddedRowOfAssignment, flatWeights, norms, tokens, hidden);
            NDArray gates64 = flatWeights.get(order).toType(DataType.FLOAT64, false);
            NDArray startIndex = OwnedArrays.longs(manager, runs.starts());
            NDArray endIndex = OwnedArrays.longs(manager, runs.ends());
            NDArray saliency = segmentSums(manager,
                    gates64.mul(norms.get(order).toType(DataType.FLOAT64, false)), startIndex, endIndex);
            NDArray gateSums = segmentSums(manager, gates64, startIndex, endIndex);
            return new NDList(output, saliency, gateSums);
        }, x, chosen, weights);
        return new ChunkResult(kept.get(0),
                new ExpertRouting.ExpertChunk(start, end, counts[0], kept.get(1), kept.get(2)));
    }

    /**
     * The outputs gathered back from padded sorted order ({@code outputRow} of each assignment) a few tokens at a time:
     * each assignment's float32 norm ‖f‖ written into {@code norms} (assignment order), and returned, for each token,
     * Σ over its k assignments of weight × output in float32: [tokens, hidden].
     */
    private NDArray gatherBack(NDArray unweighted, NDArray outputRow, NDArray flatWeights, NDArray norms,
                               int tokens, long hidden) {
        NDArray sums = unweighted.getManager().create(new Shape(tokens, hidden), DataType.FLOAT32);
        for (int first = 0; first < tokens; first += dispatch.gatherTokens()) {
            int last = Math.min(tokens, first + dispatch.gatherTokens());
            NDIndex assignments = new NDIndex().addSliceDim((long) first * topK, (long) last * topK);
            NDIndex rows = new NDIndex().addSliceDim(first, last);
            int count = last - first;
            Scratch.run(in -> {
                NDArray outputs = in.get(0).get(in.get(1).get(assignments)).toType(DataType.FLOAT32, false);
                norms.set(assignments, outputs.norm(new int[] {1}));
                sums.set(rows, outputs.mul(in.get(2).get(assignments).expandDims(1))
                        .reshape(count, topK, hidden)
                        .sum(new int[] {1}));
            }, unweighted, outputRow, flatWeights);
        }
        return sums;
    }

    /** Σ values[start_e, end_e) for every e, from one cumulative sum: [experts], in the values' dtype. */
    private static NDArray segmentSums(NDManager manager, NDArray values, NDArray starts, NDArray ends) {
        NDArray cumulative = manager.zeros(new Shape(1), values.getDataType()).concat(values.cumSum(0), 0);
        return cumulative.get(ends).sub(cumulative.get(starts));
    }
}
