package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.reapomni.calibration.stats.CosineWindow;
import io.reapomni.calibration.vision.VideoPatches;
import io.reapomni.calibration.vision.VisionConfig;
import io.reapomni.calibration.vision.VisionFeatures;
import io.reapomni.calibration.vision.VisionTower;
import io.reapomni.calibration.vision.VisionTowerLoader;
import io.reapomni.calibration.weights.WeightSource;
import io.reapomni.common.calibration.CalibrationStats;
import io.reapomni.common.calibration.CosineStats;
import io.reapomni.common.calibration.ExpertLayerStats;
import io.reapomni.common.calibration.ModalityStats;
import io.reapomni.common.calibration.SkippedSample;
import io.reapomni.common.checkpoint.CheckpointException;
import io.reapomni.common.checkpoint.ModelConfig;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.checkpoint.StackConfig;
import io.reapomni.common.job.Modality;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs calibration samples through the thinker one decoder layer at a time: every sample passes layer l before
 * layer l+1 is loaded, and layer l's weights are freed before that. Memory is one layer's weights, the samples'
 * hidden states, their rotary tables and deepstack features, and the few earlier states the cosine statistics still
 * need.
 */
public final class LayerByLayerRunner {
    /** Offsets n of the cos(h_l, h_{l+n}) statistics; layer pruning asks for blocks of up to this many layers. */
    public static final int MAX_COSINE_OFFSET = 3;

    private final ThinkerLoader thinker;
    private final AudioTowerLoader audioTower;
    private final VisionTowerLoader visionTower;
    private final int audioTokenId;
    private final int videoTokenId;
    private final float positionsPerSecond;
    private final ComputeOptions options;

    public LayerByLayerRunner(WeightSource source, ModelConfig config, ComputeOptions options)
            throws CheckpointException {
        StackConfig stack = config.stack(MoeStack.THINKER);
        this.thinker = new ThinkerLoader(source, stack, options.precision());
        this.audioTower = new AudioTowerLoader(source, config, options.precision());
        this.visionTower = new VisionTowerLoader(source, VisionConfig.of(config), options.precision());
        this.audioTokenId = config.at("/thinker_config/audio_token_id").asInt(151646);
        this.videoTokenId = config.at("/thinker_config/video_token_id").asInt(151656);
        this.positionsPerSecond = (float) config.at("/thinker_config/position_id_per_seconds").asDouble(25);
        this.options = options;
    }

    public CalibrationStats run(List<ThinkerInput> inputs, ProgressListener progress) throws IOException {
        Map<String, ModalityStats> stats = new HashMap<>();
        try (NDManager samplesManager = NDManager.newBaseManager(options.device().toDjl())) {
            List<Embedded> embedded = embedAll(samplesManager, inputs, stats, progress);
            List<CosineWindow> windows = new ArrayList<>();
            try {
                long tokens = 0;
                for (Embedded sample : embedded) {
                    CosineWindow window = new CosineWindow(MAX_COSINE_OFFSET);
                    windows.add(window);
                    window.push(0, sample.hidden);
                    tokens += sample.hidden.getShape().get(0);
                    record(stats, sample.input.modality(), new ModalityStats(1, sample.hidden.getShape().get(0),
                            List.of(), List.of(), List.of()));
                }
                int layers = thinker.config().numHiddenLayers();
                for (int layer = 0; layer < layers; layer++) {
                    runLayer(samplesManager, layer, embedded, windows, stats);
                    progress.layerDone(layer + 1, layers, tokens);
                }
            } finally {
                windows.forEach(CosineWindow::close);
            }
        }
        return new CalibrationStats(stats);
    }

    private void runLayer(NDManager samplesManager, int layerIndex, List<Embedded> samples,
                          List<CosineWindow> windows, Map<String, ModalityStats> stats) throws IOException {
        try (NDManager layerManager = samplesManager.newSubManager()) {
            DecoderLayer layer = thinker.layer(layerManager, layerIndex);
            for (int s = 0; s < samples.size(); s++) {
                Embedded sample = samples.get(s);
                LayerResult result;
                NDArray next;
                try (NDManager scratch = layerManager.newSubManager()) {
                    sample.hidden.tempAttach(scratch);
                    result = layer.apply(sample.hidden, sample.rope);
                    next = sample.deepstack.map(deepstack -> deepstack.addAfterLayer(layerIndex, result.hidden()))
                            .orElse(result.hidden());
                    next.attach(samplesManager);
                }
                sample.hidden = next;
                List<ExpertLayerStats> experts = result.routing()
                        .map(trace -> List.of(trace.expertStats(layerIndex)))
                        .orElse(List.of());
                List<CosineStats> cosines = windows.get(s).push(layerIndex + 1, next);
                record(stats, sample.input.modality(), new ModalityStats(0, 0, List.of(), experts, cosines));
            }
        }
    }

    private List<Embedded> embedAll(NDManager samplesManager, List<ThinkerInput> inputs,
                                    Map<String, ModalityStats> stats, ProgressListener progress) throws IOException {
        EmbeddingRows embedding = thinker.embedding()
                .rowsFor(inputs.stream().map(ThinkerInput::tokenIds).toList());
        int withAudio = (int) inputs.stream().filter(input -> input.audio().isPresent()).count();
        int withVideo = (int) inputs.stream().filter(input -> input.video().isPresent()).count();
        int audioEncoded = 0;
        int videoEncoded = 0;
        List<Embedded> embedded = new ArrayList<>();
        try (NDManager towerManager = samplesManager.newSubManager()) {
            Encoders encoders = new Encoders(
                    withAudio > 0 ? Optional.of(audioTower.load(towerManager)) : Optional.empty(),
                    withVideo > 0 ? Optional.of(visionTower.load(towerManager)) : Optional.empty());
            for (ThinkerInput input : inputs) {
                try {
                    embedded.add(embed(samplesManager, towerManager, embedding, encoders, input));
                } catch (AudioLengthMismatchException | IllegalArgumentException e) {
                    record(stats, input.modality(), ModalityStats.empty()
                            .withSkipped(new SkippedSample(input.id(), e.getMessage())));
                }
                if (input.audio().isPresent()) {
                    progress.audioEncoded(++audioEncoded, withAudio);
                }
                if (input.video().isPresent()) {
                    progress.videoEncoded(++videoEncoded, withVideo);
                }
            }
        }
        return embedded;
    }

    /**
     * The sample's merged embeddings (audio and video encodings in place of their pads), its rotary tables and its
     * deepstack features, all on {@code samplesManager}.
     */
    private Embedded embed(NDManager samplesManager, NDManager towerManager, EmbeddingRows embedding,
                           Encoders encoders, ThinkerInput input) throws AudioLengthMismatchException {
        int[] ids = input.tokenIds();
        PositionIds positions = MultimodalPositions.of(ids, videoTokenId, input.video().map(this::tokenGrid));
        long audioPads = PadMerge.countPads(ids, audioTokenId);
        if (input.audio().isEmpty() && audioPads > 0) {
            throw new AudioLengthMismatchException(audioPads, 0);
        }
        try (NDManager scratch = towerManager.newSubManager()) {
            NDArray merged = embedding.embed(scratch, ids);
            if (input.audio().isPresent()) {
                NDArray audioRows = encoders.audio().orElseThrow().encode(scratch, input.audio().get());
                if (audioRows.getShape().get(0) != audioPads) {
                    throw new AudioLengthMismatchException(audioPads, audioRows.getShape().get(0));
                }
                merged = PadMerge.replacePads(merged, ids, audioTokenId, audioRows);
            }
            Optional<Deepstack> deepstack = Optional.empty();
            if (input.video().isPresent()) {
                VisionFeatures features = encoders.vision().orElseThrow().encode(scratch, input.video().get());
                merged = PadMerge.replacePads(merged, ids, videoTokenId, features.tokens());
                deepstack = Optional.of(Deepstack.of(scratch, features.deepstack(), ids, videoTokenId));
            }
            RotaryEmbedding rope = thinker.rope(scratch, positions).attachedTo(samplesManager);
            merged.attach(samplesManager);
            deepstack.ifPresent(features -> features.attach(samplesManager));
            return new Embedded(input, merged, rope, deepstack);
        }
    }

    private VideoTokenGrid tokenGrid(VideoPatches video) {
        int merge = visionTower.config().spatialMergeSize();
        video.grid().requireMergeable(merge);
        return new VideoTokenGrid(video.grid().temporal(), video.grid().height() / merge,
                video.grid().width() / merge, video.secondsPerGrid(), positionsPerSecond);
    }

    private static void record(Map<String, ModalityStats> stats, Modality modality, ModalityStats delta) {
        stats.merge(modality.id(), delta, ModalityStats::plus);
    }

    /** The media encoders a run needs, loaded only when some sample has that medium. */
    private record Encoders(Optional<AudioTower> audio, Optional<VisionTower> vision) {
    }

    /** A sample, its current residual state, which advances one layer at a time, and what every layer reuses. */
    private static final class Embedded {
        final ThinkerInput input;
        final RotaryEmbedding rope;
        final Optional<Deepstack> deepstack;
        NDArray hidden;

        Embedded(ThinkerInput input, NDArray hidden, RotaryEmbedding rope, Optional<Deepstack> deepstack) {
            this.input = input;
            this.hidden = hidden;
            this.rope = rope;
            this.deepstack = deepstack;
        }
    }
}
