package io.reapomni.calibration.model;

import io.reapomni.calibration.weights.StageCost;

/**
 * Where one decoder layer's time went: reading its weights and decoding them into the compute dtype (on the
 * prefetch thread, behind the previous layer's computation), the compute thread waiting for them when that was not
 * enough, copying them to the device, and computing every batch through the layer (the device synced at its end).
 */
public record LayerCost(int layer, StageCost staging, double waitSeconds, double uploadSeconds,
                        double computeSeconds, long tokens) {

    /** Seconds the compute thread spent on this layer: waiting, uploading and computing. */
    public double wallSeconds() {
        return waitSeconds + uploadSeconds + computeSeconds;
    }
}
