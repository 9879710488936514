package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.reapomni.calibration.weights.FloatTensor;

import java.util.Arrays;

/**
 * The embedding rows of the token ids a run holds, read on the host, with the lookup that builds a sample's first
 * hidden state: only the rows of the samples' tokens go to the device, once, and each sample is gathered there.
 */
public final class EmbeddingRows {
    private final int vocab;
    private final int[] ids;
    private final int hidden;
    private final float[] values;

    /**
     * @param ids  strictly ascending token ids, so that a lookup is a binary search
     * @param rows [ids.length, hidden]: row i is the embedding of {@code ids[i]}
     */
    EmbeddingRows(int vocab, int[] ids, FloatTensor rows) {
        if (rows.rank() != 2 || rows.dim(0) != ids.length) {
            throw new IllegalArgumentException("rows of shape " + Arrays.toString(rows.shape()) + " for "
                    + ids.length + " ids");
        }
        this.vocab = vocab;
        this.ids = ids.clone();
        this.hidden = Math.toIntExact(rows.dim(1));
        this.values = rows.values();
    }

    /**
     * [T, hidden] embeddings of {@code tokenIds}, created on {@code manager}. Uploads every row first: for rows read
     * for one sample; a run of many samples uploads them once ({@link #upload}).
     */
    public NDArray embed(NDManager manager, int[] tokenIds) {
        try (NDManager tableManager = manager.newSubManager()) {
            return upload(tableManager).embed(manager, tokenIds);
        }
    }

    /**
     * The rows as one table on {@code manager}'s device, for a run that embeds many samples: each sample is then one
     * gather there, and no sample's embeddings are built on the host.
     */
    public DeviceTable upload(NDManager manager) {
        return new DeviceTable(OwnedArrays.floats(manager, values, new Shape(ids.length, hidden)));
    }

    /** The rows on a device: [ids.length, hidden], row i the embedding of {@code ids[i]}. */
    public final class DeviceTable {
        private final NDArray rows;

        private DeviceTable(NDArray rows) {
            this.rows = rows;
        }

        /** [T, hidden] embeddings of {@code tokenIds}, owned by {@code manager}. */
        public NDArray embed(NDManager manager, int[] tokenIds) {
            long[] rowOfToken = new long[tokenIds.length];
            for (int position = 0; position < tokenIds.length; position++) {
                rowOfToken[position] = row(tokenIds[position], position);
            }
            try (NDArray index = OwnedArrays.longs(manager, rowOfToken)) {
                NDArray embedded = rows.get(index);
                embedded.attach(manager);
                return embedded;
            }
        }
    }

    private int row(int id, int position) {
        if (id < 0 || id >= vocab) {
            throw new IllegalArgumentException("token id " + id + " at position " + position
                    + " is outside the vocabulary of " + vocab);
        }
        int row = Arrays.binarySearch(ids, id);
        if (row < 0) {
            throw new IllegalArgumentException("token id " + id + " at position " + position
                    + " is not among the ids whose rows were read");
        }
        return row;
    }
}
