package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

import java.util.List;
import java.util.stream.IntStream;

/**
 * The thinker's grouped-query attention: per-head RMS norms on queries and keys before RoPE, each key/value head
 * shared by {@code heads / kvHeads} consecutive query heads, causal softmax scaled by 1/sqrt(headDim).
 *
 * <p>Projections, norms and rotations run over the whole stream at once, in the weights' precision as transformers
 * runs them; the attention itself runs per batch of samples padded to one length ({@link AttentionBatches}: tokens
 * attend within their own sample only) through PyTorch's fused scaled-dot-product attention ({@link ScriptedKernels}),
 * which never holds a [T, T] score matrix, so memory stays bounded for long samples.
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

    /** Padded rows of one batch of samples: bounds the batch's gathered queries, keys, values and context. */
    static final long BATCH_TOKENS = 16_384;

    public CausalSelfAttention {
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException(heads + " query heads cannot share " + kvHeads + " key/value heads");
        }
    }

    /**
     * @param x      the normed stream [N, hidden], in the compute dtype (rounded once for the three projections)
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
        for (int b = 0; b < batches.batches().size(); b++) {
            AttentionBatches.Batch batch = batches.batches().get(b);
            padded.add(ScriptedKernels.causalAttention(queries, keys, values, batchRows.get(b), batch.size(),
                    batch.length(), scale()));
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
     * The keys and values of a sample's prompt, for a {@link KeyValueCache} that generation then extends.
     *
     * @param x     the sample's normed stream [T, hidden] entering this layer, in the compute dtype
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
     * @param x      the normed new tokens [S, hidden] in the compute dtype: row s belongs to {@code caches.get(s)}
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
     * [N, heads, d] rotated queries in the compute dtype; on {@code x}'s manager. The projection, the rounding after
     * the norm and the rotation ({@code rope} in the compute dtype) are in the compute dtype, as transformers does.
     */
    private NDArray queries(NDArray x, RotaryEmbedding rope) {
        return ScriptedKernels.rotatedHeads(x, queryProjection, queryNorm, heads, rope);
    }

    /** [N, kvHeads, d] rotated keys in the compute dtype, made as the queries are; on {@code x}'s manager. */
    private NDArray keys(NDArray x, RotaryEmbedding rope) {
        return ScriptedKernels.rotatedHeads(x, keyProjection, keyNorm, kvHeads, rope);
    }

    /** [N, kvHeads, d] values in the compute dtype; on {@code x}'s manager. */
    private NDArray values(NDArray x) {
        int length = Math.toIntExact(x.getShape().get(0));
        return Scratch.keep(in -> valueProjection.applyInWeightPrecision(in.head()).reshape(length, kvHeads, headDim),
                x);
    }

    /** What the products q·k are scaled by before the softmax: 1/sqrt(headDim). */
    private double scale() {
        return 1.0 / Math.sqrt(headDim);
    }

    /** The precision the products run in: the weights'. */
    DataType computeType() {
        return queryProjection.weight().getDataType();
    }

    /**
     * One query row attending to every key (no future to mask): q [1, heads, d], k and v [T, kvHeads, d]; returns
     * [1, heads * d]. Products in the compute dtype, scaled and softmaxed in float32 and converted back, as the fused
     * kernel of {@link #apply} accumulates its softmax in float32.
     */
    private NDArray attendAll(NDArray q, NDArray k, NDArray v) {
        int group = heads / kvHeads;
        return Scratch.keep(in -> {
            NDArray weights = in.get(0).transpose(1, 0, 2).reshape(kvHeads, group, headDim)
                    .matMul(in.get(1).transpose(1, 2, 0))
                    .toType(DataType.FLOAT32, false)
                    .mul(scale())
                    .softmax(-1)
                    .toType(in.get(2).getDataType(), false);
            return weights.matMul(in.get(2).transpose(1, 0, 2)).reshape(1, (long) heads * headDim);
        }, q, k, v);
    }
}
