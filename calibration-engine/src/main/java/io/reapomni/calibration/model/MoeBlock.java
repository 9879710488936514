package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The sparse MoE feed-forward: a float32 router, top-k routing on the device, and each expert computed only on the
 * tokens routed to it. Assignments are sorted by expert so that each expert's tokens are one contiguous run, padded
 * on a GPU where that pays ({@link MoeDispatch#runs}); experts whose runs have one length are one batched product
 * over rows gathered straight from the stream, and their outputs land in one buffer in padded order. The only read
 * back to the host is the count of tokens per expert of every chunk ({@link MoeDispatch}), once per layer. The REAP
 * sums of every expert are computed on the device in float64 from the same outputs, so that statistics cost no
 * extra pass.
 *
 * @param router  [experts, hidden], float32
 * @param gateUps [experts, 2 × intermediate, hidden]: each expert's gate and up projections stacked, in the compute
 *                precision
 * @param downs   [experts, hidden, intermediate], in the compute precision
 * @param dispatch how many tokens are sorted, computed and gathered back at once
 */
public record MoeBlock(NDArray router, NDArray gateUps, NDArray downs, int topK, boolean normTopkProb,
                       MoeDispatch dispatch) implements FeedForward {

    public MoeBlock {
        long experts = router.getShape().get(0);
        if (gateUps.getShape().get(0) != experts || downs.getShape().get(0) != experts) {
            throw new IllegalArgumentException("router scores " + experts + " experts, the layer has "
                    + gateUps.getShape().get(0) + " gate/up and " + downs.getShape().get(0) + " down projections");
        }
        if (topK > experts) {
            throw new IllegalArgumentException("top-" + topK + " of " + experts + " experts");
        }
    }

    @Override
    public FeedForwardResult apply(NDArray x, DeviceLayout layout) {
        NDArray logits = Linear.timesTransposed(x, router);
        NDList top = logits.softmax(-1).topK(topK, -1, true, true);
        NDArray weights = top.get(0);
        if (normTopkProb) {
            weights = weights.div(weights.sum(new int[] {-1}, true));
        }
        NDArray chosen = top.get(1);
        NDArray compute = x.toType(gateUps.getDataType(), false);
        List<TokenRange> ranges = ranges(layout.layout());
        long[][] counts = countsPerChunk(chosen, ranges, layout);
        // every chunk's runs are sent at once, while the device is idle after the counts' read
        IndexUpload upload = new IndexUpload();
        List<ChunkPlan> plans = new ArrayList<>();
        for (int chunk = 0; chunk < ranges.size(); chunk++) {
            plans.add(ChunkPlan.of(ranges.get(chunk), counts[chunk], dispatch.runs(counts[chunk]), upload));
        }
        NDArray indices = upload.send(x.getManager());
        NDList outputs = new NDList();
        List<ExpertRouting.ExpertChunk> chunks = new ArrayList<>();
        for (ChunkPlan plan : plans) {
            NDList result = ScriptedKernels.expertChunk(compute, chosen, weights, gateUps, downs, indices,
                    plan.range().start(), plan.range().end() - plan.range().start(), plan.indices(),
                    dispatch.gatherTokens(), plan.runs());
            outputs.add(result.get(0));
            chunks.add(new ExpertRouting.ExpertChunk(plan.range().start(), plan.range().end(), plan.counts(),
                    result.get(1), result.get(2)));
        }
        NDArray output = outputs.size() == 1 ? outputs.singletonOrThrow() : NDArrays.concat(outputs, 0);
        return new FeedForwardResult(output, Optional.of(new ExpertRouting(logits, chunks)));
    }

    /** The stream's chunks: each segment's tokens in pieces of at most {@link MoeDispatch#chunkTokens}. */
    private List<TokenRange> ranges(StreamLayout layout) {
        List<TokenRange> ranges = new ArrayList<>();
        for (StreamLayout.Segment segment : layout.segments()) {
            for (int start = segment.start(); start < segment.end(); start += dispatch.chunkTokens()) {
                ranges.add(new TokenRange(start, Math.min(segment.end(), start + dispatch.chunkTokens())));
            }
        }
        return ranges;
    }

    /** A chunk's tokens: positions [start, end) of the stream. */
    private record TokenRange(int start, int end) {
    }

    /** Names the chunk index of every token of a stream cut into chunks of {@code chunkTokens}. */
    private record ChunkOfToken(int chunkTokens) {
    }

    /** One chunk's expert runs and where they lie in the layer's one transfer. */
    private record ChunkPlan(TokenRange range, long[] counts, ExpertRuns runs, ScriptedKernels.ChunkIndices indices) {
        static ChunkPlan of(TokenRange range, long[] counts, ExpertRuns runs, IndexUpload upload) {
            return new ChunkPlan(range, counts, runs, ScriptedKernels.ChunkIndices.of(runs, upload));
        }
    }

    /**
     * How many of each chunk's assignments chose each expert: [chunk][expert], read back to the host in one transfer
     * for the whole layer (the layer's one wait for the device). Each assignment is keyed by its chunk and expert;
     * the keys' distinct values and their counts come from one {@code unique}.
     *
     * @param chosen [N, k] expert ids of the stream's tokens
     * @param ranges each chunk's [start, end) tokens, covering the stream in order
     * @param layout the stream's layout, which keeps each token's chunk on the device for every layer
     */
    private long[][] countsPerChunk(NDArray chosen, List<TokenRange> ranges, DeviceLayout layout) {
        int experts = Math.toIntExact(router.getShape().get(0));
        NDArray chunkOfToken = layout.indices(new ChunkOfToken(dispatch.chunkTokens()), () -> {
            long[] chunks = new long[Math.toIntExact(chosen.getShape().get(0))];
            for (int chunk = 0; chunk < ranges.size(); chunk++) {
                Arrays.fill(chunks, ranges.get(chunk).start(), ranges.get(chunk).end(), chunk);
            }
            return chunks;
        });
        long[] keysAndCounts;
        try (NDManager scratch = chosen.getManager().newSubManager()) {
            // lent to the scratch manager, so that what is made from the layout's array is freed with it
            chunkOfToken.tempAttach(scratch);
            NDArray keys = chunkOfToken.reshape(-1, 1).mul(experts).add(chosen);
            NDList unique = keys.unique(null, true, false, true);
            keysAndCounts = unique.get(0).concat(unique.get(2), 0).toLongArray();
        }
        long[][] counts = new long[ranges.size()][experts];
        int distinct = keysAndCounts.length / 2;
        for (int i = 0; i < distinct; i++) {
            long key = keysAndCounts[i];
            counts[(int) (key / experts)][(int) (key % experts)] = keysAndCounts[distinct + i];
        }
        return counts;
    }
}
