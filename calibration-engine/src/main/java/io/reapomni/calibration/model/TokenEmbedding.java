package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.reapomni.calibration.weights.FloatTensor;

/** The token embedding table on the host, with the lookup that builds a sample's first hidden state. */
public final class TokenEmbedding {
    private final FloatTensor table;
    private final int vocab;
    private final int hidden;

    public TokenEmbedding(FloatTensor table) {
        this.table = table;
        this.vocab = Math.toIntExact(table.dim(0));
        this.hidden = Math.toIntExact(table.dim(1));
    }

    public int hiddenSize() {
        return hidden;
    }

    /** [T, hidden] rows of the table for {@code tokenIds}, created on {@code manager}. */
    public NDArray embed(NDManager manager, int[] tokenIds) {
        float[] rows = new float[tokenIds.length * hidden];
        float[] values = table.values();
        for (int position = 0; position < tokenIds.length; position++) {
            int id = tokenIds[position];
            if (id < 0 || id >= vocab) {
                throw new IllegalArgumentException("token id " + id + " at position " + position
                        + " is outside the vocabulary of " + vocab);
            }
            System.arraycopy(values, id * hidden, rows, position * hidden, hidden);
        }
        return manager.create(rows, new Shape(tokenIds.length, hidden));
    }
}
