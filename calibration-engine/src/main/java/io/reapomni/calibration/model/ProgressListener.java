package io.reapomni.calibration.model;

/** Told after each decoder layer has seen every sample, for progress bars and throughput. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (layersDone, totalLayers, tokens) -> { };

    void layerDone(int layersDone, int totalLayers, long tokensPerLayer);
}
