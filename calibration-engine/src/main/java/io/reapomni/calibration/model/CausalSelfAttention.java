package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The thinker's grouped-query attention: per-head RMS norms on queries and keys before RoPE, each key/value head
 * shared by {@code heads / kvHeads} consecutive query heads, causal softmax scaled by 1/sqrt(headDim).
 *
 * <p>Projections, norms and rotations run over the whole stream at once; the scores run per batch of samples padded to
 * one length ({@link AttentionBatches}: tokens attend within their own sample only), in the weights' precision (the
 * softmax accumulates in float32, as PyTorch's kernels do for float16), and in chunks of query rows small enough that
 * the scores of a batch of long samples stay within {@code scoreBytes}. Keys are never expanded to the query
 * heads: the queries of one key/value head are stacked against it.
 */
public record CausalSelfAttention(
        Linear queryProjection,
        Linear keyProjection,
        Linear valueProjection,
        Linear outputProjection,
        RmsNorm queryNorm,
        RmsNorm keyNorm,
        int heads,
        int kvHeads,
        int headDim,
        long scoreBytes) {

    /** The scores of one query chunk and their softmax stay below this ({@code scoreBytes}), unless told otherwise. */
    static final long SCORE_BYTES = 512L << 20;
    /** Padded rows of one batch of samples: bounds the batch's gathered queries, keys, values and context. */
    static final long BATCH_TOKENS = 16_384;

    public CausalSelfAttention {
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException(heads + " query heads cannot share " + kvHeads + " key/value heads");
        }
        if (scoreBytes < 1) {
            throw new IllegalArgumentException("the scores of a query chunk need room, not " + scoreBytes + " bytes");
        }
    }

    /**
     * @param x      the normed stream [N, hidden], float32
     * @param rope   the stream's rotary tables, [N, 1, headDim]
     * @param layout where each sample's tokens lie in the stream; it keeps the batches' rows on the device
     * @return [N, hidden], float32
     */
    public NDArray apply(NDArray x, RotaryEmbedding rope, DeviceLayout layout) {
        AttentionBatches batches = AttentionBatches.of(layout.layout(), BATCH_TOKENS);
        List<NDArray> batchRows = IntStream.range(0, batches.batches().size())
                .mapToObj(b -> layout.indices(new BatchRows(BATCH_TOKENS, b),
                        () -> batches.batches().get(b).streamRows()))
                .toList();
        NDArray paddedPositions = layout.indices(new PaddedPositions(BATCH_TOKENS), batches::paddedPositions);
        RotaryEmbedding rotation = rope.in(computeType(), x.getManager());
        NDArray queries = queries(x, rotation);
        NDArray keys = keys(x, rotation);
        NDArray values = values(x);

        NDList padded = new NDList();
        try (NDManager maskManager = x.getManager().newSubManager()) {
            Map<Integer, NDArray> masks = new HashMap<>();
            CausalBiases biases = rows -> masks.computeIfAbsent(rows,
                    size -> causalBias(maskManager, size, queries.getDataType()));
            for (int b = 0; b < batches.batches().size(); b++) {
                AttentionBatches.Batch batch = batches.batches().get(b);
                NDArray rows = batchRows.get(b);
                padded.add(Scratch.keep(in -> attend(in.get(0), in.get(1), in.get(2), batch, rows, biases),
                        queries, keys, values));
            }
        }
        // the projections and padded contexts are freed before the output projection and the feed-forward
        queries.close();
        keys.close();
        values.close();
        NDArray context = Scratch.keep(in -> {
            NDArray all = in.size() == 1 ? in.singletonOrThrow() : NDArrays.concat(in, 0);
            return all.get(paddedPositions);
        }, padded.toArray(new NDArray[0]));
        padded.close();
        return outputProjection.apply(context);
    }

    /** Names the stream rows that batch {@code batch} of {@link AttentionBatches#of} reads. */
    private record BatchRows(long maxPaddedTokens, int batch) {
    }

    /** Names {@link AttentionBatches#paddedPositions} of a stream's batches. */
    private record PaddedPositions(long maxPaddedTokens) {
    }

    /**
     * The causal bias of a chunk of {@code rows} query rows against the keys at their own positions (the keys before
     * them need none): every chunk of that size shares it.
     */
    @FunctionalInterface
    private interface CausalBiases {
        NDArray of(int rows);
    }

    /**
     * The keys and values of a sample's prompt, for a {@link KeyValueCache} that generation then extends.
     *
     * @param x     the sample's normed stream [T, hidden] entering this layer, float32
     * @param rope  the sample's rotary tables, [T, 1, headDim]
     * @param owner the manager the cache lives in, on the compute device, for the whole generation
     */
    public KeyValueCache cache(NDArray x, RotaryEmbedding rope, NDManager owner) {
        return new KeyValueCache(owner, keys(x, rope.in(computeType(), x.getManager())), values(x));
    }

    /**
     * Generation with a cache: one new token per sample, each attending to its sample's cached keys and values and to
     * itself; the new keys and values are appended to the caches.
     *
     * @param x      the normed new tokens [S, hidden], float32: row s belongs to {@code caches.get(s)}
     * @param rope   their rotary tables, [S, 1, headDim]
     * @param caches one per row, extended by this call
     * @return [S, hidden], float32
     */
    public NDArray applyCached(NDArray x, RotaryEmbedding rope, List<KeyValueCache> caches) {
        int samples = Math.toIntExact(x.getShape().get(0));
        if (caches.size() != samples) {
            throw new IllegalArgumentException(samples + " new tokens for " + caches.size() + " caches");
        }
        RotaryEmbedding rotation = rope.in(computeType(), x.getManager());
        NDArray queries = queries(x, rotation);
        NDArray keys = keys(x, rotation);
        NDArray values = values(x);
        NDList contexts = new NDList();
        for (int sample = 0; sample < samples; sample++) {
            NDIndex row = new NDIndex("{}:{}", sample, sample + 1);
            KeyValueCache cache = caches.get(sample);
            cache.append(keys.get(row), values.get(row));
            contexts.add(attendAll(queries.get(row), cache.keys(), cache.values()));
        }
        NDArray context = contexts.size() == 1 ? contexts.singletonOrThrow() : NDArrays.concat(contexts, 0);
        return outputProjection.apply(context);
    }

    /**
     * [N, heads, d] rotated queries, scaled by 1/sqrt(headDim), in the compute dtype; on {@code x}'s manager. The
     * projection, the rounding after the norm and the rotation ({@code rope} in the compute dtype) are in the compute
     * dtype, as transformers does.
     */
    private NDArray queries(NDArray x, RotaryEmbedding rope) {
        int length = Math.toIntExact(x.getShape().get(0));
        return Scratch.keep(in -> rope.apply(queryNorm.applyRounded(queryProjection.applyInWeightPrecision(in.head())
                .reshape(length, heads, headDim), computeType(), 1.0 / Math.sqrt(headDim))), x);
    }

    /** [N, kvHeads, d] rotated keys in the compute dtype, made as the queries are; on {@code x}'s manager. */
    private NDArray keys(NDArray x, RotaryEmbedding rope) {
        int length = Math.toIntExact(x.getShape().get(0));
        return Scratch.keep(in -> rope.apply(keyNorm.applyRounded(keyProjection.applyInWeightPrecision(in.head())
                .reshape(length, kvHeads, headDim), computeType(), 1.0)), x);
    }

    /** [N, kvHeads, d] values in the compute dtype; on {@code x}'s manager. */
    private NDArray values(NDArray x) {
        int length = Math.toIntExact(x.getShape().get(0));
        return Scratch.keep(in -> valueProjection.applyInWeightPrecision(in.head()).reshape(length, kvHeads, headDim),
                x);
    }

    /** This attention with the scores of a query chunk bounded by {@code bytes}. */
    CausalSelfAttention withScoreBytes(long bytes) {
        return new CausalSelfAttention(queryProjection, keyProjection, valueProjection, outputProjection, queryNorm,
                keyNorm, heads, kvHeads, headDim, bytes);
    }

    /** The precision the products run in: the weights'. */
    DataType computeType() {
        return queryProjection.weight().getDataType();
    }

    /**
     * One query row attending to every key (no future to mask): q [1, heads, d], k and v [T, kvHeads, d]; returns
     * [1, heads * d]. Products in the compute dtype as in {@link #attend}; the softmax taken in float32 and converted
     * back, where {@code attend} lets PyTorch's softmax accumulate in float32 and round once.
     */
    private NDArray attendAll(NDArray q, NDArray k, NDArray v) {
        int group = heads / kvHeads;
        return Scratch.keep(in -> {
            NDArray weights = in.get(0).transpose(1, 0, 2).reshape(kvHeads, group, headDim)
                    .matMul(in.get(1).transpose(1, 2, 0))
                    .toType(DataType.FLOAT32, false)
                    .softmax(-1)
                    .toType(in.get(2).getDataType(), false);
            return weights.matMul(in.get(2).transpose(1, 0, 2)).reshape(1, (long) heads * headDim);
        }, q, k, v);
    }

    /**
     * One batch's attention: q [N, heads, d], k and v [N, kvHeads, d] of the whole stream, {@code rows} the batch's
     * {@link AttentionBatches.Batch#streamRows} on the device; returns the batch's padded context
     * [samples × length, heads * d], sample after sample.
     */
    private NDArray attend(NDArray q, NDArray k, NDArray v, AttentionBatches.Batch batch, NDArray rows,
                           CausalBiases biases) {
        int group = heads / kvHeads;
        int samples = batch.size();
        int length = batch.length();
        // [samples, kvHeads, group, T, d]: query head h belongs to key/value head h / group
        NDArray groupedQueries = q.get(rows).reshape(samples, length, heads, headDim).transpose(0, 2, 1, 3)
                .reshape(samples, kvHeads, group, length, headDim);
        NDArray keysT = k.get(rows).reshape(samples, length, kvHeads, headDim).transpose(0, 2, 3, 1);
        NDArray valuesByHead = v.get(rows).reshape(samples, length, kvHeads, headDim).transpose(0, 2, 1, 3);
        int chunk = queryChunk(samples, length, q.getDataType());
        NDList chunks = new NDList();
        for (int first = 0; first < length; first += chunk) {
            int start = first;
            int end = Math.min(length, first + chunk);
            int chunkRows = end - first;
            // queries [first, end) see keys [0, end); the chunk's scores are freed before the next chunk's
            chunks.add(Scratch.keep(in -> {
                NDArray scores = in.get(0).get(new NDIndex().addAllDim(3).addSliceDim(start, end))
                        .reshape(samples, kvHeads, (long) group * chunkRows, headDim)
                        .matMul(in.get(1).get(new NDIndex().addAllDim(3).addSliceDim(0, end)))
                        .reshape(samples, kvHeads, group, chunkRows, end);
                // only the chunk's own positions can lie in a query's future: the bias is added to those in place
                scores.get(new NDIndex().addAllDim(4).addSliceDim(start, end)).addi(biases.of(chunkRows));
                NDArray weights = scores.softmax(-1)
                        .reshape(samples, kvHeads, (long) group * chunkRows, end);
                return weights.matMul(in.get(2).get(new NDIndex().addAllDim(2).addSliceDim(0, end)))
                        .reshape(samples, kvHeads, group, chunkRows, headDim);
            }, groupedQueries, keysT, valuesByHead));
        }
        NDArray context = chunks.size() == 1 ? chunks.singletonOrThrow() : NDArrays.concat(chunks, 3);
        return context.reshape(samples, heads, length, headDim).transpose(0, 2, 1, 3)
                .reshape((long) samples * length, (long) heads * headDim);
    }

    /** [rows, rows] in {@code type}: 0 where query row i may see key j (j ≤ i), -inf where j lies in its future. */
    private static NDArray causalBias(NDManager manager, int rows, DataType type) {
        NDArray future = manager.arange(0, rows, 1, DataType.INT64).reshape(rows, 1)
                .lt(manager.arange(0, rows, 1, DataType.INT64).reshape(1, rows));
        Shape shape = new Shape(rows, rows);
        return NDArrays.where(future, manager.full(shape, Float.NEGATIVE_INFINITY, type), manager.zeros(shape, type));
    }

    /**
     * Query rows per chunk so that a batch's scores [samples, heads, rows, T] and their softmax fit
     * {@code scoreBytes}.
     */
    int queryChunk(int samples, int length, DataType type) {
        long perRow = 2L * samples * heads * length * type.getNumOfBytes();
        return (int) Math.max(1, Math.min(length, scoreBytes / perRow));
    }
}
