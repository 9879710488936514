package io.reapomni.calibration.evaluation;

import io.reapomni.calibration.model.ProgressListener;

/** Told how an evaluation advances: each step of it in words, and the layers of every pass. */
public interface EvaluationListener extends ProgressListener {
    EvaluationListener NONE = (layersDone, totalLayers, tokens) -> { };

    /** A step begins: "original: prompt pass over 8 samples (1,204 tokens)". */
    default void step(String description) {
    }
}
