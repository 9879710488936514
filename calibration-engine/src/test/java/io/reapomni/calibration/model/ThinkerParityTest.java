package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.reapomni.calibration.TestDevice;
import io.reapomni.calibration.TinyFixture;
import io.reapomni.calibration.stats.CalibrationStats;
import io.reapomni.calibration.stats.CosineStats;
import io.reapomni.calibration.stats.ExpertLayerStats;
import io.reapomni.calibration.stats.ModalityStats;
import io.reapomni.calibration.stats.RoutingTrace;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.checkpoint.StackConfig;
import io.reapomni.common.job.Modality;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The Java thinker against transformers' float32 activations and REAP statistics on the tiny checkpoint. */
class ThinkerParityTest {
    private static final float HIDDEN_TOLERANCE = 1e-4f;
    private static final double SALIENCY_RELATIVE_TOLERANCE = 1e-4;

    private static TinyFixture fixture;
    private static StackConfig stack;

    @BeforeAll
    static void loadFixture() throws IOException {
        fixture = TinyFixture.load();
        stack = fixture.config.stack(MoeStack.THINKER);
    }

    @Test
    void textEmbeddingsAreTheFirstLayerInput() throws IOException {
        ThinkerLoader loader = new ThinkerLoader(fixture.weights, stack, ComputePrecision.FLOAT32);
        try (NDManager manager = TestDevice.newManager()) {
            NDArray embedded = loader.embedding().embed(manager, fixture.tokenIds("text"));
            float error = TinyFixture.maxAbsDiff(embedded.toFloatArray(), fixture.floats("text.layer0.in"));
            System.out.printf("text embeddings: max abs error %.3g%n", error);
            assertThat(error).isLessThanOrEqualTo(HIDDEN_TOLERANCE);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"text", "audio"})
    void decoderMatchesLayerByLayer(String prefix) throws IOException {
        ThinkerLoader loader = new ThinkerLoader(fixture.weights, stack, ComputePrecision.FLOAT32);
        try (NDManager manager = TestDevice.newManager()) {
            long[] shape = fixture.shape(prefix + ".layer0.in");
            NDArray hidden = manager.create(fixture.floats(prefix + ".layer0.in"), new Shape(shape));
            for (int layer = 0; layer < stack.numHiddenLayers(); layer++) {
                if (layer > 0) {
                    float error = TinyFixture.maxAbsDiff(hidden.toFloatArray(),
                            fixture.floats(prefix + ".layer" + layer + ".in"));
                    System.out.printf("%s layer %d input: max abs error %.3g%n", prefix, layer, error);
                    assertThat(error).as("%s hidden entering layer %d", prefix, layer)
                            .isLessThanOrEqualTo(HIDDEN_TOLERANCE);
                }
                LayerResult result;
                try (NDManager layerManager = manager.newSubManager()) {
                    result = loader.layer(layerManager, layer).apply(hidden);
                    result.hidden().attach(manager);
                }
                assertThat(result.routing()).as("layer %d routes to experts", layer).isPresent();
                checkRouting(prefix + ".layer" + layer, result.routing().get(), layer);
                hidden = result.hidden();
            }
            float finalError = TinyFixture.maxAbsDiff(hidden.toFloatArray(), fixture.floats(prefix + ".final_hidden"));
            float[] logits;
            try (NDManager headManager = manager.newSubManager()) {
                logits = loader.head(headManager).logits(hidden).toFloatArray();
            }
            float logitError = TinyFixture.maxAbsDiff(logits, fixture.floats(prefix + ".logits"));
            System.out.printf("%s final hidden: max abs error %.3g, logits: %.3g%n", prefix, finalError, logitError);
            assertThat(finalError).isLessThanOrEqualTo(HIDDEN_TOLERANCE);
            assertThat(logitError).isLessThanOrEqualTo(HIDDEN_TOLERANCE);
        }
    }

    @Test
    void runnerStatisticsMatchTheReferenceForText() throws IOException {
        ThinkerInput input = new ThinkerInput("text-0", Modality.AUDIO, fixture.tokenIds("text"), Optional.empty());
        checkRunnerStatistics("text", input);
    }

    @Test
    void runnerStatisticsMatchTheReferenceForAudioFromFeatures() throws IOException {
        ThinkerInput input = new ThinkerInput("audio-0", Modality.AUDIO, fixture.tokenIds("audio"),
                Optional.of(fixture.audioFeatures()));
        checkRunnerStatistics("audio", input);
    }

    private void checkRunnerStatistics(String prefix, ThinkerInput input) throws IOException {
        LayerByLayerRunner runner = new LayerByLayerRunner(fixture.weights, fixture.config,
                TestDevice.float32());
        CalibrationStats stats = runner.run(List.of(input), ProgressListener.NONE);
        ModalityStats audio = stats.modalities().get("audio");
        int tokens = fixture.tokenIds(prefix).length;
        assertThat(audio.samples()).isEqualTo(1);
        assertThat(audio.tokens()).isEqualTo(tokens);
        assertThat(audio.skipped()).isEmpty();
        assertThat(audio.experts()).hasSize(stack.numHiddenLayers());
        for (ExpertLayerStats layer : audio.experts()) {
            checkExpertSums(prefix + ".layer" + layer.layer(), layer);
        }

        float[] expectedCosine = fixture.floats(prefix + ".mean_token_cosine");
        int layers = stack.numHiddenLayers();
        double maxError = 0;
        for (int layer = 0; layer < layers; layer++) {
            for (int offset = 1; offset <= LayerByLayerRunner.MAX_COSINE_OFFSET; offset++) {
                float expected = expectedCosine[layer * LayerByLayerRunner.MAX_COSINE_OFFSET + offset - 1];
                Optional<CosineStats> actual = cosine(audio, layer, offset);
                if (layer + offset > layers) {
                    assertThat(expected).isNaN();
                    assertThat(actual).isEmpty();
                } else {
                    assertThat(actual).isPresent();
                    assertThat(actual.get().tokens()).isEqualTo(tokens);
                    maxError = Math.max(maxError, Math.abs(actual.get().mean() - expected));
                }
            }
        }
        System.out.printf("%s mean token cosine: max abs error %.3g%n", prefix, maxError);
        assertThat(maxError).isLessThanOrEqualTo(1e-5);
    }

    private static Optional<CosineStats> cosine(ModalityStats stats, int layer, int offset) {
        return stats.cosine().stream().filter(c -> c.layer() == layer && c.offset() == offset).findFirst();
    }

    private void checkRouting(String name, RoutingTrace trace, int layer) throws IOException {
        float logitError = TinyFixture.maxAbsDiff(trace.routerLogits(), fixture.floats(name + ".router_logits"));
        System.out.printf("%s router logits: max abs error %.3g%n", name, logitError);
        assertThat(logitError).isLessThanOrEqualTo(HIDDEN_TOLERANCE);
        checkExpertSums(name, ExpertLayerStats.of(layer, trace));
    }

    private void checkExpertSums(String name, ExpertLayerStats actual) throws IOException {
        double[] saliency = fixture.doubles(name + ".saliency_sum");
        double[] counts = fixture.doubles(name + ".routed_count");
        double[] gates = fixture.doubles(name + ".gate_weight_sum");
        double worst = 0;
        for (int e = 0; e < saliency.length; e++) {
            assertThat((double) actual.routedCount()[e]).as("%s routed count of expert %d", name, e)
                    .isEqualTo(counts[e]);
            double scale = Math.max(Math.abs(saliency[e]), 1e-12);
            worst = Math.max(worst, Math.abs(actual.saliencySum()[e] - saliency[e]) / scale);
            assertThat(actual.saliencySum()[e]).as("%s saliency sum of expert %d", name, e)
                    .isCloseTo(saliency[e], within(SALIENCY_RELATIVE_TOLERANCE * scale));
            assertThat(actual.gateWeightSum()[e]).as("%s gate weight sum of expert %d", name, e)
                    .isCloseTo(gates[e], within(SALIENCY_RELATIVE_TOLERANCE * Math.max(Math.abs(gates[e]), 1e-12)));
        }
        System.out.printf("%s saliency sums: max relative error %.3g%n", name, worst);
    }
}
