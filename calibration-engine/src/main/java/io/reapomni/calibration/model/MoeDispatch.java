package io.reapomni.calibration.model;

import ai.djl.ndarray.types.DataType;

/**
 * How many tokens an MoE layer dispatches at once. A chunk's assignments are sorted by expert once and their expert
 * outputs kept in one [tokens × k, hidden] buffer in the weights' dtype, so that each expert runs one product over all
 * its tokens of the chunk (larger chunks: fewer, larger products and fewer host round trips); the outputs are then
 * gathered back to token order, weighted in float32, a few tokens at a time.
 *
 * @param chunkTokens  tokens whose assignments are sorted and computed at once
 * @param gatherTokens tokens whose outputs are gathered back and summed at once
 */
public record MoeDispatch(int chunkTokens, int gatherTokens) {
    /**
     * The sorted expert outputs of one chunk: 32,768 tokens of the full model (k = 8, hidden 2048) in float16, so that
     * an expert's product averages 2,048 rows while the chunk's buffers stay well below a layer's weights.
     */
    static final long CHUNK_BYTES = 1L << 30;
    /** The gathered outputs of one step back to token order: the outputs, their float32 copy and the weighted one. */
    static final long GATHER_BYTES = 512L << 20;

    public MoeDispatch {
        if (chunkTokens < 1 || gatherTokens < 1) {
            throw new IllegalArgumentException("an MoE dispatch takes at least one token at a time, not "
                    + chunkTokens + " and " + gatherTokens);
        }
    }

    /** Chunks of at most {@link #CHUNK_BYTES} of sorted outputs, gathered back in steps of {@link #GATHER_BYTES}. */
    public static MoeDispatch forShape(long hidden, int topK, DataType computeType) {
        long outputBytes = (long) topK * hidden * computeType.getNumOfBytes();
        long gatherBytes = (long) topK * hidden * (computeType.getNumOfBytes() + 2L * Float.BYTES);
        return new MoeDispatch(tokens(CHUNK_BYTES / outputBytes), tokens(GATHER_BYTES / gatherBytes));
    }

    private static int tokens(long fit) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, fit));
    }
}
