package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.reapomni.calibration.weights.WeightSource;

import java.io.IOException;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The token embedding table, left in the checkpoint: a run reads only the rows of the ids its samples hold, because
 * the whole table (vocabulary × hidden in float32, 1.24 GB for the full thinker) would outgrow the heap.
 */
public final class TokenEmbedding {
    private final WeightSource source;
    private final String name;
    private final int vocab;

    /** {@code vocab} is the table's row count, which {@link ThinkerLoader} has checked against the config. */
    TokenEmbedding(WeightSource source, String name, int vocab) {
        this.source = source;
        this.name = name;
        this.vocab = vocab;
    }

    /**
     * The rows of every id in {@code samples}, each read once. Ids outside the vocabulary are not read: the lookup
     * rejects them for the one sample that holds them.
     */
    public EmbeddingRows rowsFor(List<int[]> samples) throws IOException {
        int[] ids = samples.stream()
                .flatMapToInt(IntStream::of)
                .filter(id -> id >= 0 && id < vocab)
                .distinct()
                .sorted()
                .toArray();
        return new EmbeddingRows(vocab, ids, source.loadRows(name, ids));
    }

    /** [T, hidden] embeddings of one sample, created on {@code manager}. */
    public NDArray embed(NDManager manager, int[] tokenIds) throws IOException {
        return rowsFor(List.of(tokenIds)).embed(manager, tokenIds);
    }
}
