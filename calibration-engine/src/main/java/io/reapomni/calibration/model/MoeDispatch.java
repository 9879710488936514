package io.reapomni.calibration.model;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;

import java.util.Arrays;

/**
 * How many tokens an MoE layer dispatches at once. A chunk's assignments are sorted by expert once and their expert
 * outputs kept in one [tokens × k, hidden] buffer in the weights' dtype, so that each expert runs one product over all
 * its tokens of the chunk (larger chunks: fewer, larger products and fewer host round trips); the outputs are then
 * gathered back to token order and weighted, a few tokens at a time.
 *
 * @param chunkTokens   tokens whose assignments are sorted and computed at once
 * @param gatherTokens  tokens whose outputs are gathered back and summed at once
 * @param rowMultiple   each expert's rows are padded to a multiple of this where that pays ({@link #runs})
 * @param bucketExperts experts of one padded length that run as one batched product at most
 */
public record MoeDispatch(int chunkTokens, int gatherTokens, int rowMultiple, int bucketExperts) {
    /**
     * The sorted expert outputs of one chunk: 32,768 tokens of the full model (k = 8, hidden 2048) in float16, so that
     * an expert's product averages 2,048 rows while the chunk's buffers stay well below a layer's weights.
     */
    static final long CHUNK_BYTES = 1L << 30;
    /** The outputs gathered back to token order in one step, in the weights' dtype. */
    static final long GATHER_BYTES = 512L << 20;
    /**
     * On a GPU an expert's rows are padded to a multiple of this ({@link ExpertRuns}): about 6% more rows at the full
     * model's 2,048 a product, and a few dozen product shapes a layer instead of one per expert.
     */
    static final int GPU_ROW_MULTIPLE = 256;
    /**
     * On a GPU, experts of one batched product at most: their weights are gathered for it (9 MiB each at the full
     * model's width in float16), so the gathered copies stay near 150 MiB.
     */
    static final int GPU_BUCKET_EXPERTS = 16;
    /** Rows of one batched product at most: its input, gate/up and output stay near 200 MiB at the full width. */
    static final long BUCKET_ROWS = 16_384;
    /**
     * Padding is used only where it adds at most half the rows: a chunk of calibration tokens averages thousands of
     * rows an expert, a generation step one or two, where padding would multiply the work (and gathering weights
     * for a few rows costs more than the rows).
     */
    static final double MAX_PADDED_RATIO = 1.5;

    public MoeDispatch {
        if (chunkTokens < 1 || gatherTokens < 1) {
            throw new IllegalArgumentException("an MoE dispatch takes at least one token at a time, not "
                    + chunkTokens + " and " + gatherTokens);
        }
        if (rowMultiple < 1 || bucketExperts < 1) {
            throw new IllegalArgumentException("expert rows are padded to a multiple of at least 1, and buckets hold "
                    + "at least one expert, not " + rowMultiple + " and " + bucketExperts);
        }
    }

    /**
     * The chunk's expert runs for these counts: padded and bucketed where padding adds at most
     * {@link #MAX_PADDED_RATIO} of the rows, else each expert alone on its own rows.
     */
    ExpertRuns runs(long[] counts) {
        if (rowMultiple > 1) {
            ExpertRuns padded = ExpertRuns.of(counts, rowMultiple, bucketExperts, BUCKET_ROWS);
            if (padded.paddedTotal() <= MAX_PADDED_RATIO * Arrays.stream(counts).sum()) {
                return padded;
            }
        }
        return ExpertRuns.of(counts, 1, 1, BUCKET_ROWS);
    }

    /**
     * Chunks of at most {@link #CHUNK_BYTES} of sorted outputs, gathered back in steps of {@link #GATHER_BYTES}; on a
     * GPU rows padded to {@link #GPU_ROW_MULTIPLE} and experts batched by {@link #GPU_BUCKET_EXPERTS}, on the CPU
     * neither (its products plan nothing per shape, and gathering weights would only copy them).
     */
    public static MoeDispatch forShape(long hidden, int topK, DataType computeType, Device device) {
        long outputBytes = (long) topK * hidden * computeType.getNumOfBytes();
        return new MoeDispatch(tokens(CHUNK_BYTES / outputBytes), tokens(GATHER_BYTES / outputBytes),
                device.isGpu() ? GPU_ROW_MULTIPLE : 1, device.isGpu() ? GPU_BUCKET_EXPERTS : 1);
    }

    private static int tokens(long fit) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, fit));
    }
}
