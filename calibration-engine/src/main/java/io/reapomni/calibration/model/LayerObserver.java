package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;

import java.util.Optional;

/**
 * What a layer-by-layer run shows of itself: the residual stream of every batch after the embedding and after each
 * decoder layer, with what the layer's router did. Calibration statistics are one observer, the parity tests
 * another. Arrays handed over live until the call returns: an observer keeps what it needs by copying it
 * ({@link StreamBatch#keep}), and keeps its sums on the device until it is asked for them.
 */
public interface LayerObserver {

    /** h_0 of {@code batch}: the merged embeddings entering layer 0, [N, hidden], float32, on the device. */
    void embedded(StreamBatch batch, NDArray hidden);

    /**
     * h_{layer + 1} of {@code batch}: the stream leaving decoder layer {@code layer} (deepstack features added) and
     * entering the next one, or for the last layer the final hidden state before the final norm.
     */
    void layerDone(int layer, StreamBatch batch, NDArray hidden, Optional<ExpertRouting> routing);
}
