package io.reapomni.calibration.weights;

import java.io.IOException;

/**
 * Where the engine reads model weights from, one named tensor at a time, so that no more than the tensors of the
 * layer being computed need to be in memory. Every implementation returns float32, whatever the stored dtype.
 */
public interface WeightSource {

    /** The tensor stored under {@code name}, converted to float32; {@link WeightNotFoundException} if absent. */
    FloatTensor load(String name) throws IOException;

    boolean has(String name) throws IOException;

    /** The dimensions of the tensor stored under {@code name}, outermost first, without reading its values. */
    long[] shape(String name) throws IOException;

    /**
     * Rows {@code rows} of the [rows, columns] matrix stored under {@code name}, as a [rows.length, columns] float32
     * tensor in that order; only those rows are read, so that a vocabulary-sized table costs what a run uses of it.
     *
     * @param rows strictly ascending indices within the matrix, else {@link IllegalArgumentException}
     */
    FloatTensor loadRows(String name, int[] rows) throws IOException;
}
