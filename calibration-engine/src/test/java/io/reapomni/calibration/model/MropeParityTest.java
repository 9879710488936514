package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.reapomni.calibration.ReferenceSums;
import io.reapomni.calibration.TestDevice;
import io.reapomni.calibration.TinyFixture;
import io.reapomni.calibration.stats.CalibrationObserver;
import io.reapomni.calibration.vision.VideoPatches;
import io.reapomni.calibration.vision.VisionConfig;
import io.reapomni.calibration.weights.CheckpointWeightSource;
import io.reapomni.common.calibration.CosineStats;
import io.reapomni.common.calibration.ExpertLayerStats;
import io.reapomni.common.calibration.ModalityStats;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.checkpoint.StackConfig;
import io.reapomni.common.job.Modality;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole run against transformers with 3-D M-RoPE positions ({@code reference-mrope.safetensors}): the engine's
 * positions equal transformers' exactly, and the stream entering every layer, the router logits, the REAP sums, the
 * cosine table and the logits match at 1e-4.
 */
class MropeParityTest {
    private static final Logger LOG = LoggerFactory.getLogger(MropeParityTest.class);

    private static final float TOLERANCE = 1e-4f;

    private static TinyFixture fixture;
    private static CheckpointWeightSource reference;
    private static StackConfig stack;
    private static int spatialMerge;

    @BeforeAll
    static void loadFixture() throws IOException {
        fixture = TinyFixture.load();
        reference = fixture.mropeReference;
        stack = fixture.config.stack(MoeStack.THINKER);
        spatialMerge = VisionConfig.of(fixture.config).spatialMergeSize();
    }

    @ParameterizedTest
    @ValueSource(strings = {"audio", "video", "mixed"})
    void positionsAreTransformersThreeDimensionalOnes(String prefix) throws IOException {
        int[] ids = TinyFixture.tokenIds(reference, prefix);
        Optional<VideoTokenGrid> grid = video(prefix).map(MropeParityTest::tokenGrid);

        PositionIds positions = MultimodalPositions.of(ids, videoPad(), grid);

        double[] expected = TinyFixture.doubles(reference, prefix + ".position_ids");
        for (int axis = 0; axis < 3; axis++) {
            for (int token = 0; token < ids.length; token++) {
                assertThat((double) positions.at(axis, token)).as("%s axis %d token %d", prefix, axis, token)
                        .isEqualTo(expected[axis * ids.length + token]);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"audio", "video", "mixed"})
    void theRunMatchesTransformersLayerByLayer(String prefix) throws IOException {
        int[] ids = TinyFixture.tokenIds(reference, prefix);
        ThinkerInput input = new ThinkerInput(prefix, Modality.AUDIO, ids,
                prefix.equals("video") ? Optional.empty() : Optional.of(fixture.audioFeatures()), video(prefix));
        RecordingObserver recording = new RecordingObserver();
        ModalityStats stats;
        try (CalibrationObserver calibration = new CalibrationObserver(TestDevice.device().toDjl())) {
            RunReport report = new LayerByLayerRunner(fixture.stager, fixture.config, TestDevice.float32())
                    .run(List.of(input), both(recording, calibration), ProgressListener.NONE);
            assertThat(report.skipped()).isEmpty();
            stats = calibration.statistics().modalities().get("audio");
        }

        int layers = stack.numHiddenLayers();
        for (int layer = 0; layer < layers; layer++) {
            String name = prefix + ".layer" + layer;
            assertClose(name + ".in", recording.state(layer), floats(name + ".in"));
            assertClose(name + ".router_logits", recording.routerLogits(layer), floats(name + ".router_logits"));
            checkExpertSums(name, stats.expertsOf(layer).orElseThrow());
        }
        float[] finalHidden = recording.state(layers);
        assertClose(prefix + ".final_hidden", finalHidden, floats(prefix + ".final_hidden"));
        try (NDManager manager = TestDevice.newManager()) {
            ThinkerLoader loader = new ThinkerLoader(fixture.stager, stack, ComputePrecision.FLOAT32);
            NDArray hidden = manager.create(finalHidden, new Shape(ids.length, stack.hiddenSize()));
            assertClose(prefix + ".logits", loader.head(manager).logits(hidden).toFloatArray(),
                    floats(prefix + ".logits"));
        }
        checkCosines(prefix, stats, ids.length);
    }

    private void checkExpertSums(String name, ExpertLayerStats actual) throws IOException {
        ReferenceSums.check(reference, name, actual, 1e-4);
    }

    private void checkCosines(String prefix, ModalityStats stats, int tokens) throws IOException {
        float[] expected = floats(prefix + ".mean_token_cosine");
        int layers = stack.numHiddenLayers();
        int offsets = CalibrationObserver.MAX_COSINE_OFFSET;
        double worst = 0;
        for (int layer = 0; layer < layers; layer++) {
            for (int offset = 1; offset <= offsets; offset++) {
                float want = expected[layer * offsets + offset - 1];
                Optional<CosineStats> got = stats.cosine(layer, offset);
                if (layer + offset > layers) {
                    assertThat(want).isNaN();
                    assertThat(got).isEmpty();
                } else {
                    assertThat(got.orElseThrow().tokens()).isEqualTo(tokens);
                    worst = Math.max(worst, Math.abs(got.get().mean() - want));
                }
            }
        }
        LOG.debug(String.format(Locale.ROOT, "%s mean token cosine: max abs error %.3g", prefix, worst));
        assertThat(worst).isLessThanOrEqualTo(TOLERANCE);
    }

    private static Optional<VideoPatches> video(String prefix) throws IOException {
        if (prefix.equals("audio")) {
            return Optional.empty();
        }
        float secondsPerGrid = floats("video.second_per_grid")[0];
        return Optional.of(fixture.videoPatches(secondsPerGrid));
    }

    private static VideoTokenGrid tokenGrid(VideoPatches video) {
        int merge = spatialMerge;
        float positionsPerSecond = (float) fixture.config.at("/thinker_config/position_id_per_seconds").asDouble();
        return new VideoTokenGrid(video.grid().temporal(), video.grid().height() / merge,
                video.grid().width() / merge, video.secondsPerGrid(), positionsPerSecond);
    }

    private static int videoPad() {
        return fixture.config.at("/thinker_config/video_token_id").asInt();
    }

    private static float[] floats(String name) throws IOException {
        return reference.load(name).values();
    }

    private static void assertClose(String name, float[] actual, float[] expected) {
        float error = TinyFixture.maxAbsDiff(actual, expected);
        LOG.debug(String.format(Locale.ROOT, "%s: max abs error %.3g", name, error));
        assertThat(error).as(name).isLessThanOrEqualTo(TOLERANCE);
    }

    /** Both observers see everything, in this order. */
    private static LayerObserver both(LayerObserver first, LayerObserver second) {
        return new LayerObserver() {
            @Override
            public void embedded(StreamBatch batch, NDArray hidden) {
                first.embedded(batch, hidden);
                second.embedded(batch, hidden);
            }

            @Override
            public void layerDone(int layer, StreamBatch batch, NDArray hidden, Optional<ExpertRouting> routing) {
                first.layerDone(layer, batch, hidden, routing);
                second.layerDone(layer, batch, hidden, routing);
            }
        };
    }
}
