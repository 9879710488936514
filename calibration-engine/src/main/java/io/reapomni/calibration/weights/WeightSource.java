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
}
