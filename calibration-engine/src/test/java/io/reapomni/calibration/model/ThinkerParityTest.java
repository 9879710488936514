package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.reapomni.calibration.ReferenceSums;
import io.reapomni.calibration.TestDevice;
import io.reapomni.calibration.TinyFixture;
import io.reapomni.calibration.stats.CalibrationObserver;
import io.reapomni.calibration.vision.VisionConfig;
import io.reapomni.calibration.vision.VisionFeatures;
import io.reapomni.calibration.vision.VisionTowerLoader;
import io.reapomni.common.calibration.CalibrationStats;
import io.reapomni.common.calibration.CosineStats;
import io.reapomni.common.calibration.ExpertLayerStats;
import io.reapomni.common.calibration.ModalityStats;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.checkpoint.StackConfig;
import io.reapomni.common.job.Modality;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The Java thinker against transformers' float32 activations and REAP statistics on the tiny checkpoint. */
class ThinkerParityTest {
    private static final Logger LOG = LoggerFactory.getLogger(ThinkerParityTest.class);

    private static final float HIDDEN_TOLERANCE = 1e-4f;
    private static final double SALIENCY_RELATIVE_TOLERANCE = 1e-4;
    /** Any positive value: the fixture's positions do not depend on it (see decoderMatchesLayerByLayer). */
    private static final float SECONDS_PER_GRID = 1.0f;

    private static TinyFixture fixture;
    private static StackConfig stack;

    @BeforeAll
    static void loadFixture() throws IOException {
        fixture = TinyFixture.load();
        stack = fixture.config.stack(MoeStack.THINKER);
    }

    @Test
    void textEmbeddingsAreTheFirstLayerInput() throws IOException {
        ThinkerLoader loader = new ThinkerLoader(fixture.stager, stack, ComputePrecision.FLOAT32);
        try (NDManager manager = TestDevice.newManager()) {
            NDArray embedded = loader.embedding().embed(manager, fixture.tokenIds("text"));
            float error = TinyFixture.maxAbsDiff(embedded.toFloatArray(), fixture.floats("text.layer0.in"));
            LOG.debug(String.format(Locale.ROOT, "text embeddings: max abs error %.3g", error));
            assertThat(error).isLessThanOrEqualTo(HIDDEN_TOLERANCE);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"video", "mixed"})
    void mergedEmbeddingsAreTheFirstLayerInput(String prefix) throws IOException {
        int[] ids = fixture.tokenIds(prefix);
        ThinkerLoader loader = new ThinkerLoader(fixture.stager, stack, ComputePrecision.FLOAT32);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray merged = loader.embedding().embed(manager, ids);
            if (PadMerge.countPads(ids, audioPad()) > 0) {
                NDArray audioRows = new AudioTowerLoader(fixture.stager, fixture.config, ComputePrecision.FLOAT32)
                        .load(manager).part().encode(manager, fixture.audioFeatures());
                merged = PadMerge.replacePads(merged, ids, audioPad(), audioRows);
            }
            merged = PadMerge.replacePads(merged, ids, videoPad(), visionFeatures(manager).tokens());
            float error = TinyFixture.maxAbsDiff(merged.toFloatArray(), fixture.floats(prefix + ".layer0.in"));
            LOG.debug(String.format(Locale.ROOT, "%s merged embeddings: max abs error %.3g", prefix, error));
            assertThat(error).isLessThanOrEqualTo(HIDDEN_TOLERANCE);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"text", "audio", "video", "mixed"})
    void decoderMatchesLayerByLayer(String prefix) throws IOException {
        ThinkerLoader loader = new ThinkerLoader(fixture.stager, stack, ComputePrecision.FLOAT32);
        int[] ids = fixture.tokenIds(prefix);
        boolean hasVideo = PadMerge.countPads(ids, videoPad()) > 0;
        StreamLayout layout = StreamLayout.single(prefix, Modality.AUDIO, ids.length);
        try (NDManager manager = TestDevice.newManager()) {
            long[] shape = fixture.shape(prefix + ".layer0.in");
            NDArray hidden = manager.create(fixture.floats(prefix + ".layer0.in"), new Shape(shape));
            // transformers computed these references without an attention mask, and without one its thinker falls
            // back to positions 0..T-1 on all three axes, video or not; MropeParityTest checks the 3-D positions
            RotaryEmbedding rope = loader.rope(manager, PositionIds.sequential(ids.length));
            // one layout for every layer, as a run keeps it: its indices are made by the first layer, reused after
            DeviceLayout deviceLayout = new DeviceLayout(layout, manager);
            List<float[]> states = new ArrayList<>();
            states.add(hidden.toFloatArray());
            Optional<Deepstack> deepstack = hasVideo
                    ? Optional.of(Deepstack.of(manager, visionFeatures(manager).deepstack(), ids, videoPad()))
                    : Optional.empty();
            for (int layer = 0; layer < stack.numHiddenLayers(); layer++) {
                if (layer > 0) {
                    float error = TinyFixture.maxAbsDiff(hidden.toFloatArray(),
                            fixture.floats(prefix + ".layer" + layer + ".in"));
                    LOG.debug(String.format(Locale.ROOT,
                            "%s layer %d input: max abs error %.3g", prefix, layer, error));
                    assertThat(error).as("%s hidden entering layer %d", prefix, layer)
                            .isLessThanOrEqualTo(HIDDEN_TOLERANCE);
                }
                LayerResult result;
                try (NDManager layerManager = manager.newSubManager()) {
                    result = loader.layer(layerManager, layer).apply(hidden, rope, deviceLayout);
                    result.hidden().attach(manager);
                    assertThat(result.routing()).as("layer %d routes to experts", layer).isPresent();
                    checkRouting(prefix + ".layer" + layer, result.routing().get());
                }
                int finished = layer;
                hidden = deepstack.map(features -> features.addAfterLayer(finished, result.hidden()))
                        .orElse(result.hidden());
                states.add(hidden.toFloatArray());
            }
            float finalError = TinyFixture.maxAbsDiff(hidden.toFloatArray(), fixture.floats(prefix + ".final_hidden"));
            float[] logits;
            try (NDManager headManager = manager.newSubManager()) {
                logits = loader.head(headManager).logits(hidden).toFloatArray();
            }
            float logitError = TinyFixture.maxAbsDiff(logits, fixture.floats(prefix + ".logits"));
            LOG.debug(String.format(Locale.ROOT,
                    "%s final hidden: max abs error %.3g, logits: %.3g", prefix, finalError, logitError));
            assertThat(finalError).isLessThanOrEqualTo(HIDDEN_TOLERANCE);
            assertThat(logitError).isLessThanOrEqualTo(HIDDEN_TOLERANCE);
            checkCosines(prefix, hostCosines(states, ids.length, Math.toIntExact(shape[1])), ids.length);
        }
    }

    /**
     * Samples of different lengths in one stream attend in one batch padded to the longest (text 24 tokens, audio 31):
     * each sample's rows after the first layer are still transformers' for that sample alone, so nothing leaks
     * between samples or from the padding.
     */
    @Test
    void samplesOfDifferentLengthsInOneStreamMatchTheirOwnReferences() throws IOException {
        ThinkerLoader loader = new ThinkerLoader(fixture.stager, stack, ComputePrecision.FLOAT32);
        List<String> prefixes = List.of("text", "audio", "text");
        int[] lengths = new int[prefixes.size()];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = fixture.tokenIds(prefixes.get(i)).length;
        }
        assertThat(lengths[0]).as("the fixture's samples differ in length").isNotEqualTo(lengths[1]);
        StreamLayout layout = StreamLayout.of(List.of("t1", "a", "t2"), List.of(Modality.AUDIO, Modality.AUDIO,
                Modality.AUDIO), lengths);
        assertThat(AttentionBatches.of(layout, CausalSelfAttention.BATCH_TOKENS).batches()).as("one padded batch")
                .hasSize(1);
        try (NDManager manager = TestDevice.newManager()) {
            NDList inputs = new NDList();
            NDList cosines = new NDList();
            NDList sines = new NDList();
            for (int i = 0; i < lengths.length; i++) {
                String prefix = prefixes.get(i);
                inputs.add(manager.create(fixture.floats(prefix + ".layer0.in"),
                        new Shape(fixture.shape(prefix + ".layer0.in"))));
                RotaryEmbedding rope = loader.rope(manager, PositionIds.sequential(lengths[i]));
                cosines.add(rope.cos());
                sines.add(rope.sin());
            }
            RotaryEmbedding streamRope = new RotaryEmbedding(NDArrays.concat(cosines, 0), NDArrays.concat(sines, 0));
            NDArray out = loader.layer(manager, 0)
                    .apply(NDArrays.concat(inputs, 0), streamRope, new DeviceLayout(layout, manager)).hidden();
            for (StreamLayout.SampleSpan sample : layout.samples()) {
                String prefix = prefixes.get(layout.samples().indexOf(sample));
                float[] rows = out.get(new NDIndex("{}:{}", sample.start(), sample.end())).toFloatArray();
                float error = TinyFixture.maxAbsDiff(rows, fixture.floats(prefix + ".layer1.in"));
                assertThat(error).as("sample %s after layer 0 in a padded stream", sample.id())
                        .isLessThanOrEqualTo(HIDDEN_TOLERANCE);
            }
        }
    }

    @Test
    void runnerStatisticsMatchTheReferenceForText() throws IOException {
        ThinkerInput input = new ThinkerInput("text-0", Modality.AUDIO, fixture.tokenIds("text"), Optional.empty(), Optional.empty());
        checkRunnerStatistics("text", input);
    }

    @Test
    void runnerStatisticsMatchTheReferenceForAudioFromFeatures() throws IOException {
        ThinkerInput input = new ThinkerInput("audio-0", Modality.AUDIO, fixture.tokenIds("audio"),
                Optional.of(fixture.audioFeatures()), Optional.empty());
        checkRunnerStatistics("audio", input);
    }

    private void checkRunnerStatistics(String prefix, ThinkerInput input) throws IOException {
        LayerByLayerRunner runner = new LayerByLayerRunner(fixture.stager, fixture.config,
                TestDevice.float32());
        CalibrationStats stats;
        try (CalibrationObserver observer = new CalibrationObserver(TestDevice.device().toDjl())) {
            runner.run(List.of(input), observer, ProgressListener.NONE);
            stats = observer.statistics();
        }
        ModalityStats modality = stats.modalities().get(input.modality().id());
        int tokens = fixture.tokenIds(prefix).length;
        assertThat(modality.samples()).isEqualTo(1);
        assertThat(modality.tokens()).isEqualTo(tokens);
        assertThat(modality.skipped()).isEmpty();
        assertThat(modality.experts()).hasSize(stack.numHiddenLayers());
        for (ExpertLayerStats layer : modality.experts()) {
            checkExpertSums(prefix + ".layer" + layer.layer(), layer);
        }

        checkCosines(prefix, modality, tokens);
    }

    private void checkCosines(String prefix, ModalityStats modality, int tokens) throws IOException {
        float[] expectedCosine = fixture.floats(prefix + ".mean_token_cosine");
        int layers = stack.numHiddenLayers();
        double maxError = 0;
        for (int layer = 0; layer < layers; layer++) {
            for (int offset = 1; offset <= CalibrationObserver.MAX_COSINE_OFFSET; offset++) {
                float expected = expectedCosine[layer * CalibrationObserver.MAX_COSINE_OFFSET + offset - 1];
                Optional<CosineStats> actual = cosine(modality, layer, offset);
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
        LOG.debug(String.format(Locale.ROOT, "%s mean token cosine: max abs error %.3g", prefix, maxError));
        assertThat(maxError).isLessThanOrEqualTo(1e-5);
    }

    private static VisionFeatures visionFeatures(NDManager manager) throws IOException {
        VisionTowerLoader loader = new VisionTowerLoader(fixture.stager, VisionConfig.of(fixture.config),
                ComputePrecision.FLOAT32);
        return loader.load(manager).part().encode(manager, fixture.videoPatches(SECONDS_PER_GRID));
    }

    private static int audioPad() {
        return fixture.config.at("/thinker_config/audio_token_id").asInt();
    }

    private static int videoPad() {
        return fixture.config.at("/thinker_config/video_token_id").asInt();
    }

    private static Optional<CosineStats> cosine(ModalityStats stats, int layer, int offset) {
        return stats.cosine().stream().filter(c -> c.layer() == layer && c.offset() == offset).findFirst();
    }

    private void checkRouting(String name, ExpertRouting routing) throws IOException {
        float logitError = TinyFixture.maxAbsDiff(routing.routerLogits().toFloatArray(),
                fixture.floats(name + ".router_logits"));
        LOG.debug(String.format(Locale.ROOT, "%s router logits: max abs error %.3g", name, logitError));
        assertThat(logitError).isLessThanOrEqualTo(HIDDEN_TOLERANCE);
        int experts = stack.numExperts();
        double[] saliency = new double[experts];
        long[] counts = new long[experts];
        double[] gates = new double[experts];
        for (ExpertRouting.ExpertChunk chunk : routing.chunks()) {
            double[] chunkSaliency = chunk.saliencySums().toDoubleArray();
            double[] chunkGates = chunk.gateSums().toDoubleArray();
            for (int e = 0; e < experts; e++) {
                saliency[e] += chunkSaliency[e];
                counts[e] += chunk.routedCounts()[e];
                gates[e] += chunkGates[e];
            }
        }
        checkExpertSums(name, new ExpertLayerStats(0, saliency, counts, gates));
    }

    /** The cosine sums of consecutive states, worked out on the host in double from the states themselves. */
    private static ModalityStats hostCosines(List<float[]> states, int tokens, int hidden) {
        List<CosineStats> cosines = new ArrayList<>();
        for (int layer = 0; layer < states.size(); layer++) {
            for (int offset = 1; offset <= CalibrationObserver.MAX_COSINE_OFFSET
                    && layer + offset < states.size(); offset++) {
                float[] a = states.get(layer);
                float[] b = states.get(layer + offset);
                double sum = 0;
                for (int token = 0; token < tokens; token++) {
                    double dot = 0;
                    double normA = 0;
                    double normB = 0;
                    for (int i = token * hidden; i < (token + 1) * hidden; i++) {
                        dot += (double) a[i] * b[i];
                        normA += (double) a[i] * a[i];
                        normB += (double) b[i] * b[i];
                    }
                    sum += dot / Math.sqrt(normA * normB);
                }
                cosines.add(new CosineStats(layer, offset, sum, tokens));
            }
        }
        return new ModalityStats(0, 0, List.of(), List.of(), cosines);
    }

    private void checkExpertSums(String name, ExpertLayerStats actual) throws IOException {
        ReferenceSums.check(fixture.reference, name, actual, SALIENCY_RELATIVE_TOLERANCE);
    }
}
