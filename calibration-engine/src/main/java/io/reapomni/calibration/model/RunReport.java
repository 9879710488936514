package io.reapomni.calibration.model;

import io.reapomni.common.calibration.ConversionLoss;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a layer-by-layer run did: the samples it could not use and why, per decoder layer where the time went, and
 * what converting the media towers' weights (loaded once per run, for the samples that have audio or video) could not
 * keep. Every layer's weights were read once: {@code layers().size()} layer loads.
 *
 * @param towersLoss    what converting the audio and vision towers' weights into float16 could not keep; the decoder
 *                      layers' own losses are in their {@link LayerCost#staging()}
 * @param stagingMemory on a GPU, whether the weights' host buffers were pinned for their copies, or why not (a
 *                      pageable copy stalls the computation about ten times longer); empty on the CPU
 */
public record RunReport(List<SkippedInput> skipped, List<LayerCost> layers, ConversionLoss towersLoss,
                        Optional<String> stagingMemory) {
    public RunReport {
        skipped = List.copyOf(skipped);
        layers = List.copyOf(layers);
        Objects.requireNonNull(towersLoss, "towersLoss");
        Objects.requireNonNull(stagingMemory, "stagingMemory");
    }

    /** A run that computed nothing. */
    public static RunReport empty() {
        return new RunReport(List.of(), List.of(), ConversionLoss.NONE, Optional.empty());
    }

    /** A sample the run left out, with a reason a person can act on. */
    public record SkippedInput(ThinkerInput input, String reason) {
    }

    /** What converting the run's weights into float16 could not keep: every decoder layer's and the towers'. */
    public ConversionLoss conversionLoss() {
        return layers.stream().map(cost -> cost.staging().loss()).reduce(towersLoss, ConversionLoss::plus);
    }
}
