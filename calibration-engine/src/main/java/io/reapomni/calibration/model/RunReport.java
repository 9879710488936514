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
 * @param hostStream    on a GPU, when the run's tokens did not fit its device batch: how its stream was kept in host
 *                      memory instead
 */
public record RunReport(List<SkippedInput> skipped, List<LayerCost> layers, ConversionLoss towersLoss,
                        Optional<String> stagingMemory, Optional<HostStream> hostStream) {
    public RunReport {
        skipped = List.copyOf(skipped);
        layers = List.copyOf(layers);
        Objects.requireNonNull(towersLoss, "towersLoss");
        Objects.requireNonNull(stagingMemory, "stagingMemory");
        Objects.requireNonNull(hostStream, "hostStream");
    }

    /** A run that computed nothing. */
    public static RunReport empty() {
        return new RunReport(List.of(), List.of(), ConversionLoss.NONE, Optional.empty(), Optional.empty());
    }

    /**
     * A stream too large for the device batch, kept in host memory between layers: every layer copied each batch,
     * and the earlier layers' states the cosine statistics keep, to the device and back, which costs more than the
     * layer's computation (about 5× slower end to end, measured on an H100). Worth saying, since a larger device
     * batch avoids it wherever the GPU has the memory.
     *
     * @param tokens       the stream's tokens
     * @param batches      the batches it went through the device in
     * @param deviceTokens the device batch: tokens on the device at once at most
     */
    public record HostStream(long tokens, int batches, int deviceTokens) {
        public String describe() {
            return String.format("the stream's %,d tokens were more than the device batch of %,d: they were kept in"
                    + " host memory in %d batches and copied to the GPU and back at every layer", tokens,
                    deviceTokens, batches);
        }
    }

    /** A sample the run left out, with a reason a person can act on. */
    public record SkippedInput(ThinkerInput input, String reason) {
    }

    /** What converting the run's weights into float16 could not keep: every decoder layer's and the towers'. */
    public ConversionLoss conversionLoss() {
        return layers.stream().map(cost -> cost.staging().loss()).reduce(towersLoss, ConversionLoss::plus);
    }
}
