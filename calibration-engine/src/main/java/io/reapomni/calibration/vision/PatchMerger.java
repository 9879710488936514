package io.reapomni.calibration.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import io.reapomni.calibration.model.LayerNorm;
import io.reapomni.calibration.model.Linear;

/**
 * Turns each block of {@code mergeSize²} consecutive patch rows into one decoder token: a layer norm, the rows
 * concatenated, and a GELU MLP to the decoder's width. The final merger normalises each patch before concatenating;
 * the deepstack mergers normalise the concatenation.
 */
public record PatchMerger(LayerNorm norm, boolean normAfterConcatenation, Linear fc1, Linear fc2, int mergeUnit) {

    /** {@code x} is [patches, hidden]; returns [patches / mergeUnit, outHidden]. */
    public NDArray apply(NDArray x) {
        long tokens = x.getShape().get(0) / mergeUnit;
        long concatenated = x.getShape().get(1) * mergeUnit;
        NDArray merged = normAfterConcatenation
                ? norm.apply(x.reshape(tokens, concatenated))
                : norm.apply(x).reshape(tokens, concatenated);
        return fc2.apply(Activation.gelu(fc1.apply(merged)));
    }
}
