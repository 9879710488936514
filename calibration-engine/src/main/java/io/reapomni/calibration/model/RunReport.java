package io.reapomni.calibration.model;

import io.reapomni.calibration.weights.ConversionLoss;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a layer-by-layer run did: the samples it could not use and why, and per decoder layer where the time went.
 * Every layer's weights were read once: {@code layers().size()} layer loads.
 *
 * @param stagingMemory on a GPU, whether the weights' host buffers were pinned for their copies, or why not (a
 *                      pageable copy stalls the computation about ten times longer); empty on the CPU
 */
public record RunReport(List<SkippedInput> skipped, List<LayerCost> layers, Optional<String> stagingMemory) {
    public RunReport {
        skipped = List.copyOf(skipped);
        layers = List.copyOf(layers);
        Objects.requireNonNull(stagingMemory, "stagingMemory");
    }

    /** A run that computed nothing. */
    public static RunReport empty() {
        return new RunReport(List.of(), List.of(), Optional.empty());
    }

    /** A sample the run left out, with a reason a person can act on. */
    public record SkippedInput(ThinkerInput input, String reason) {
    }

    /** What converting the weights into float16 could not keep, over all layers. */
    public ConversionLoss conversionLoss() {
        return layers.stream().map(cost -> cost.staging().loss()).reduce(ConversionLoss.NONE, ConversionLoss::plus);
    }
}
