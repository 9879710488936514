package io.reapomni.calibration.model;

import io.reapomni.calibration.weights.StageCost;

/**
 * Where one decoder layer's time went: reading its weights, decoding them into the compute dtype and copying them to
 * the device (all on the prefetch thread, behind the previous layer's computation), the compute thread waiting for
 * them when that was not enough, and computing every batch through the layer (the device synced at its end).
 */
public record LayerCost(int layer, StageCost staging, double placeSeconds, double waitSeconds,
                        double computeSeconds, long tokens) {
}
