package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.reapomni.calibration.TestDevice;
import io.reapomni.calibration.TinyFixture;
import io.reapomni.calibration.weights.CheckpointWeightSource;
import io.reapomni.calibration.weights.CountingStore;
import io.reapomni.calibration.weights.PlantedValues;
import io.reapomni.calibration.weights.TensorBytes;
import io.reapomni.calibration.weights.WeightStager;
import io.reapomni.common.calibration.ConversionLoss;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.checkpoint.Qwen3OmniLayout;
import io.reapomni.common.checkpoint.Qwen3OmniLayout.AudioLayerModule;
import io.reapomni.common.checkpoint.Qwen3OmniLayout.DecoderModule;
import io.reapomni.common.checkpoint.Qwen3OmniLayout.VisionBlockModule;
import io.reapomni.common.job.Modality;
import io.reapomni.common.storage.LocalObjectStore;
import io.reapomni.testfixtures.TinyQwen3Omni;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.reapomni.calibration.weights.PlantedValues.HUGE;
import static io.reapomni.calibration.weights.PlantedValues.HUGER;
import static io.reapomni.calibration.weights.PlantedValues.HUGEST;
import static io.reapomni.calibration.weights.PlantedValues.TINIER;
import static io.reapomni.calibration.weights.PlantedValues.TINY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What float16 cannot hold of the media towers' weights, loaded once per run, is reported with the decoder layers'
 * in {@link RunReport#conversionLoss()}, for that run alone. The fixture's model is copied with bf16 values planted
 * beyond float16's range (its largest finite value is 65504) and below its smallest (2^-24) in one tensor of the
 * audio tower, of the vision tower, of a decoder layer and of the head; the fixture's own weights all lie within
 * that range, so what a run reports is exactly what the test planted in what the run loaded. The head, kept in
 * float32, keeps what was planted in it.
 */
class TowerConversionLossTest {
    private static final PlantedValues AUDIO_TOWER = new PlantedValues(
            Qwen3OmniLayout.audioLayer(0, AudioLayerModule.FC2).weight(), new float[] {HUGE, HUGER, HUGEST},
            new float[] {TINY, TINIER});
    private static final PlantedValues VISION_TOWER = new PlantedValues(
            Qwen3OmniLayout.visionBlock(0, VisionBlockModule.FC2).weight(), new float[] {HUGER, HUGE},
            new float[] {TINIER});
    /** Only values that become zero: huge ones would flood the decoder's attention with infinities. */
    private static final PlantedValues DECODER_LAYER = new PlantedValues(
            Qwen3OmniLayout.decoder(MoeStack.THINKER, 1, DecoderModule.Q_PROJ).weight(), new float[0],
            new float[] {TINY, TINIER, TINY, TINIER});
    private static final PlantedValues LM_HEAD = new PlantedValues(Qwen3OmniLayout.LM_HEAD, new float[] {HUGEST},
            new float[] {TINY, TINY});

    private static final LayerObserver UNOBSERVED = new LayerObserver() {
        @Override
        public void embedded(StreamBatch batch, NDArray hidden) {
        }

        @Override
        public void layerDone(int layer, StreamBatch batch, NDArray hidden, Optional<ExpertRouting> routing) {
        }
    };

    private TinyFixture fixture;
    private CountingStore store;

    @BeforeEach
    void plantedCopyOfTheFixture(@TempDir Path dir) throws IOException {
        fixture = TinyFixture.load();
        PlantedValues.copy(TinyQwen3Omni.model(), dir, List.of(AUDIO_TOWER, VISION_TOWER, DECODER_LAYER, LM_HEAD));
        store = new CountingStore(new LocalObjectStore(dir));
    }

    @Test
    void anAudioRunReportsTheAudioTowersLossBesideTheLayers() throws IOException {
        try (WeightStager stager = stager()) {
            RunReport report = runner(stager).run(List.of(audioInput()), UNOBSERVED, ProgressListener.NONE);

            assertThat(report.skipped()).isEmpty();
            assertThat(report.conversionLoss()).isEqualTo(AUDIO_TOWER.loss().plus(DECODER_LAYER.loss()));
            assertThat(report.layers().stream().map(cost -> cost.staging().loss())
                    .reduce(ConversionLoss.NONE, ConversionLoss::plus)).isEqualTo(DECODER_LAYER.loss());
            assertThat(audioTowerReads()).isPositive();
        }
    }

    @Test
    void aRunWithoutAudioLoadsNoTowerAndReportsTheLayersLossAlone() throws IOException {
        try (WeightStager stager = stager()) {
            RunReport report = runner(stager).run(List.of(textInput()), UNOBSERVED, ProgressListener.NONE);

            assertThat(report.conversionLoss()).isEqualTo(DECODER_LAYER.loss());
            assertThat(audioTowerReads()).isZero();
        }
    }

    /** The loaders live as long as their runner; each run counts the towers it loaded itself, and no other run's. */
    @Test
    void eachRunOfOneRunnerReportsTheTowersItLoaded() throws IOException {
        try (WeightStager stager = stager()) {
            LayerByLayerRunner runner = runner(stager);

            RunReport video = runner.run(List.of(videoInput()), UNOBSERVED, ProgressListener.NONE);
            RunReport audio = runner.run(List.of(audioInput()), UNOBSERVED, ProgressListener.NONE);
            RunReport text = runner.run(List.of(textInput()), UNOBSERVED, ProgressListener.NONE);
            RunReport both = runner.run(List.of(videoInput(), audioInput()), UNOBSERVED, ProgressListener.NONE);

            assertThat(video.conversionLoss()).isEqualTo(VISION_TOWER.loss().plus(DECODER_LAYER.loss()));
            assertThat(audio.conversionLoss()).isEqualTo(AUDIO_TOWER.loss().plus(DECODER_LAYER.loss()));
            assertThat(text.conversionLoss()).isEqualTo(DECODER_LAYER.loss());
            assertThat(both.conversionLoss())
                    .isEqualTo(VISION_TOWER.loss().plus(AUDIO_TOWER.loss()).plus(DECODER_LAYER.loss()));
        }
    }

    /** The head stays in float32 in a float16 run: the values planted in it are there, neither clamped nor zero. */
    @Test
    void theHeadKeepsItsWeightsWhole() throws IOException {
        try (WeightStager stager = stager();
             NDManager manager = TestDevice.newManager()) {
            NDArray weight = runner(stager).thinker().head(manager).lmHead().weight();

            assertThat(weight.getDataType()).isEqualTo(DataType.FLOAT32);
            float[] values = weight.toFloatArray();
            assertThat(values).contains(HUGEST, TINY);
        }
    }

    private WeightStager stager() throws IOException {
        return new WeightStager(CheckpointWeightSource.open(store), 2);
    }

    private LayerByLayerRunner runner(WeightStager stager) throws IOException {
        return new LayerByLayerRunner(stager, fixture.config,
                new ComputeOptions(TestDevice.device(), ComputePrecision.FLOAT16));
    }

    private ThinkerInput audioInput() throws IOException {
        return new ThinkerInput("audio", Modality.AUDIO, fixture.tokenIds("audio"),
                Optional.of(fixture.audioFeatures()), Optional.empty());
    }

    private ThinkerInput videoInput() throws IOException {
        return new ThinkerInput("video", Modality.VIDEO, fixture.tokenIds("video"), Optional.empty(),
                Optional.of(fixture.videoPatches(1.0f)));
    }

    private ThinkerInput textInput() throws IOException {
        return new ThinkerInput("text", Modality.AUDIO, fixture.tokenIds("text"), Optional.empty(),
                Optional.empty());
    }

    /**
     * Ranged reads that begin at an audio-tower tensor: the tower's tensors are read one at a time, and a decoder
     * layer's reads, coalesced over its shard, begin at one of its own tensors.
     */
    private long audioTowerReads() throws IOException {
        CheckpointWeightSource index = CheckpointWeightSource.open(new LocalObjectStore(TinyQwen3Omni.model()));
        List<TensorBytes> tower = new ArrayList<>();
        for (String name : index.names()) {
            if (name.startsWith("thinker.audio_tower.")) {
                tower.add(index.locate(name));
            }
        }
        assertThat(tower).isNotEmpty();
        return store.ranges().stream().filter(range -> tower.stream().anyMatch(tensor ->
                tensor.shard().equals(range.key()) && tensor.offset() == range.offset())).count();
    }
}
