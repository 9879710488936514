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

/**
 * The thinker's grouped-query attention: per-head RMS norms on queries and keys before RoPE, each key/value head
 * shared by {@code heads / kvHeads} consecutive query heads, causal softmax scaled by 1/sqrt(headDim).
 *
 * <p>Projections, norms and rotations run over the whole stream at once; the scores run per sample (tokens attend
 * within their own sample only), in the weights' precision, with the softmax in float32, and in chunks of query rows
 * small enough that the score matrix of a long sample stays within {@link #SCORE_BYTES}. Keys are never expanded to
 * the query heads: the queries of one key/value head are stacked against it.
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
        int headDim) {

    /** The float32 scores (and their softmax) of one query chunk stay below this. */
    static final long SCORE_BYTES = 256L << 20;

    public CausalSelfAttention {
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException(heads + " query heads cannot share " + kvHeads + " key/value heads");
        }
    }

    /**
     * @param x      the normed stream [N, hidden], float32
     * @param rope   the stream's rotary tables, [N, 1, headDim]
     * @param layout where each sample's tokens lie in the stream
     * @return [N, hidden], float32
     */
    public NDArray apply(NDArray x, RotaryEmbedding rope, StreamLayout layout) {
        NDArray queries = queries(x, rope);
        NDArray keys = keys(x, rope);
        NDArray values = values(x);

        NDList contexts = new NDList();
        try (NDManager maskManager = x.getManager().newSubManager()) {
            Map<List<Integer>, NDArray> masks = new HashMap<>();
            for (StreamLayout.SampleSpan sample : layout.samples()) {
                NDIndex rows = new NDIndex("{}:{}", sample.start(), sample.end());
                contexts.add(Scratch.keep(in -> attend(in.get(0), in.get(1), in.get(2), sample.length(),
                                (first, end) -> masks.computeIfAbsent(List.of(first, end),
                                        span -> causalBias(maskManager, first, end))),
                        queries.get(rows), keys.get(rows), values.get(rows)));
            }
        }
        NDArray context = contexts.size() == 1 ? contexts.singletonOrThrow() : NDArrays.concat(contexts, 0);
        return outputProjection.apply(context);
    }

    /** The causal bias of query rows [first, end) against keys [0, end); samples of one length share theirs. */
    @FunctionalInterface
    private interface CausalBiases {
        NDArray of(int first, int end);
    }

    /**
     * The keys and values of a sample's prompt, for a {@link KeyValueCache} that generation then extends.
     *
     * @param x     the sample's normed stream [T, hidden] entering this layer, float32
     * @param rope  the sample's rotary tables, [T, 1, headDim]
     * @param owner the manager the cache lives in, on the compute device, for the whole generation
     */
    public KeyValueCache cache(NDArray x, RotaryEmbedding rope, NDManager owner) {
        return new KeyValueCache(owner, keys(x, rope), values(x));
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
        NDArray queries = queries(x, rope);
        NDArray keys = keys(x, rope);
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

    /** [N, heads, d] rotated queries, scaled by 1/sqrt(headDim), in the compute dtype; on {@code x}'s manager. */
    private NDArray queries(NDArray x, RotaryEmbedding rope) {
        int length = Math.toIntExact(x.getShape().get(0));
        DataType compute = computeType();
        return Scratch.keep(in -> rope.apply(queryNorm.apply(queryProjection.apply(in.head())
                .reshape(length, heads, headDim))).mul(1.0 / Math.sqrt(headDim)).toType(compute, false), x);
    }

    /** [N, kvHeads, d] rotated keys in the compute dtype; on {@code x}'s manager. */
    private NDArray keys(NDArray x, RotaryEmbedding rope) {
        int length = Math.toIntExact(x.getShape().get(0));
        DataType compute = computeType();
        return Scratch.keep(in -> rope.apply(keyNorm.apply(keyProjection.apply(in.head())
                .reshape(length, kvHeads, headDim))).toType(compute, false), x);
    }

    /** [N, kvHeads, d] values in the compute dtype; on {@code x}'s manager. */
    private NDArray values(NDArray x) {
        int length = Math.toIntExact(x.getShape().get(0));
        DataType compute = computeType();
        return Scratch.keep(in -> valueProjection.apply(in.head()).reshape(length, kvHeads, headDim)
                .toType(compute, false), x);
    }

    private DataType computeType() {
        return queryProjection.weight().getDataType();
    }

    /**
     * One query row attending to every key (no future to mask): q [1, heads, d], k and v [T, kvHeads, d]; returns
     * [1, heads * d]. The same arithmetic as {@link #attend}: products in the compute dtype, softmax in float32.
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

    /** One sample's attention: q [T, heads, d], k and v [T, kvHeads, d]; returns [T, heads * d]. */
    private NDArray attend(NDArray q, NDArray k, NDArray v, int length, CausalBiases biases) {
        int group = heads / kvHeads;
        // [kvHeads, group, T, d]: query head h belongs to key/value head h / group
        NDArray groupedQueries = q.transpose(1, 0, 2).reshape(kvHeads, group, length, headDim);
        NDArray keysT = k.transpose(1, 2, 0);
        NDArray valuesByHead = v.transpose(1, 0, 2);
        int chunk = queryChunk(length);
        NDList chunks = new NDList();
        for (int first = 0; first < length; first += chunk) {
            int start = first;
            int end = Math.min(length, first + chunk);
            int rows = end - first;
            // queries [first, end) see keys [0, end); the chunk's scores are freed before the next chunk's
            chunks.add(Scratch.keep(in -> {
                NDArray scores = in.get(0).get(new NDIndex(":, :, {}:{}, :", start, end))
                        .reshape(kvHeads, (long) group * rows, headDim)
                        .matMul(in.get(1).get(new NDIndex(":, :, :{}", end)))
                        .toType(DataType.FLOAT32, false)
                        .reshape(kvHeads, group, rows, end);
                NDArray weights = scores.add(biases.of(start, end)).softmax(-1)
                        .toType(in.get(2).getDataType(), false)
                        .reshape(kvHeads, (long) group * rows, end);
                return weights.matMul(in.get(2).get(new NDIndex(":, :{}, :", end)))
                        .reshape(kvHeads, group, rows, headDim);
            }, groupedQueries, keysT, valuesByHead));
        }
        NDArray context = chunks.size() == 1 ? chunks.singletonOrThrow() : NDArrays.concat(chunks, 2);
        return context.reshape(heads, length, headDim).transpose(1, 0, 2).reshape(length, (long) heads * headDim);
    }

    /** [rows, end]: 0 where query row first + i may see key j, -inf where j lies in its future. */
    private static NDArray causalBias(NDManager manager, int first, int end) {
        int rows = end - first;
        NDArray future = manager.arange(first, end, 1, DataType.INT64).reshape(rows, 1)
                .lt(manager.arange(0, end, 1, DataType.INT64).reshape(1, end));
        Shape shape = new Shape(rows, end);
        return NDArrays.where(future, manager.full(shape, Float.NEGATIVE_INFINITY, DataType.FLOAT32),
                manager.zeros(shape, DataType.FLOAT32));
    }

    /** Query rows per chunk so that [heads, rows, T] float32 scores, softmax included, fit {@link #SCORE_BYTES}. */
    private int queryChunk(int length) {
        long perRow = 3L * heads * length * Float.BYTES;
        return (int) Math.max(1, Math.min(length, SCORE_BYTES / perRow));
    }
}
