package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;

/** Puts the audio tower's rows where the prompt has {@code <audio_pad>} tokens, in order. */
public final class AudioMerge {
    private AudioMerge() {
    }

    /**
     * @param embeddings [T, hidden] token embeddings
     * @param audioRows  [n, hidden] with n the number of pad tokens
     * @throws AudioLengthMismatchException when the prompt's pad run and the audio disagree in length
     */
    public static NDArray replacePads(NDArray embeddings, int[] tokenIds, int audioTokenId, NDArray audioRows)
            throws AudioLengthMismatchException {
        long rows = audioRows.getShape().get(0);
        long[] source = new long[tokenIds.length];
        long pads = 0;
        for (int position = 0; position < tokenIds.length; position++) {
            source[position] = tokenIds[position] == audioTokenId ? tokenIds.length + pads++ : position;
        }
        if (pads != rows) {
            throw new AudioLengthMismatchException(pads, rows);
        }
        NDArray both = embeddings.concat(audioRows, 0);
        return both.get(embeddings.getManager().create(source));
    }
}
