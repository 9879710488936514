package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;

/** Final RMS norm and the language-model head: hidden [T, hidden] to logits [T, vocab]. */
public record ThinkerHead(RmsNorm norm, Linear lmHead) {

    public NDArray logits(NDArray finalHidden) {
        return lmHead.apply(norm.apply(finalHidden));
    }
}
