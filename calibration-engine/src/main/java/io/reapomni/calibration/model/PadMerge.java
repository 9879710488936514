package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;

/** Puts a media encoder's rows where the prompt has that medium's pad tokens, in order. */
public final class PadMerge {
    private PadMerge() {
    }

    public static long countPads(int[] tokenIds, int padId) {
        long pads = 0;
        for (int tokenId : tokenIds) {
            if (tokenId == padId) {
                pads++;
            }
        }
        return pads;
    }

    /**
     * @param embeddings [T, hidden] token embeddings
     * @param rows       [n, hidden] with n the number of pad tokens, which the caller has checked
     */
    public static NDArray replacePads(NDArray embeddings, int[] tokenIds, int padId, NDArray rows) {
        long[] source = new long[tokenIds.length];
        long pads = 0;
        for (int position = 0; position < tokenIds.length; position++) {
            source[position] = tokenIds[position] == padId ? tokenIds.length + pads++ : position;
        }
        if (pads != rows.getShape().get(0)) {
            throw new IllegalStateException(pads + " pads for " + rows.getShape().get(0) + " rows");
        }
        NDArray both = embeddings.concat(rows, 0);
        return both.get(OwnedArrays.longs(embeddings.getManager(), source));
    }
}
