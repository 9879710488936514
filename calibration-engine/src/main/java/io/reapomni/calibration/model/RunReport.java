package io.reapomni.calibration.model;

import io.reapomni.calibration.weights.ConversionLoss;

import java.util.List;

/**
 * What a layer-by-layer run did: the samples it could not use and why, and per decoder layer where the time went.
 * Every layer's weights were read once: {@code layers().size()} layer loads.
 */
public record RunReport(List<SkippedInput> skipped, List<LayerCost> layers) {
    public RunReport {
        skipped = List.copyOf(skipped);
        layers = List.copyOf(layers);
    }

    /** A sample the run left out, with a reason a person can act on. */
    public record SkippedInput(ThinkerInput input, String reason) {
    }

    /** What converting the weights into float16 could not keep, over all layers. */
    public ConversionLoss conversionLoss() {
        return layers.stream().map(cost -> cost.staging().loss()).reduce(ConversionLoss.NONE, ConversionLoss::plus);
    }
}
