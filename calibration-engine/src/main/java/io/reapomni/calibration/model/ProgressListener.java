package io.reapomni.calibration.model;

/** Told how a run advances, for progress bars, throughput and benchmarks. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (layersDone, totalLayers, tokens) -> { };

    /** After the audio tower has encoded {@code done} of the {@code total} samples that have audio. */
    default void audioEncoded(int done, int total) {
    }

    /** After the vision tower has encoded {@code done} of the {@code total} samples that have video. */
    default void videoEncoded(int done, int total) {
    }

    /** After a decoder layer has seen every sample; {@code tokensPerLayer} is the tokens of all samples. */
    void layerDone(int layersDone, int totalLayers, long tokensPerLayer);

    /** After a decoder layer, where its time went. */
    default void layerCost(LayerCost cost) {
    }
}
