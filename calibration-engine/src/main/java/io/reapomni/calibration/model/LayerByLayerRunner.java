package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.reapomni.calibration.stats.CalibrationStats;
import io.reapomni.calibration.stats.CosineStats;
import io.reapomni.calibration.stats.CosineWindow;
import io.reapomni.calibration.stats.ExpertLayerStats;
import io.reapomni.calibration.stats.ModalityStats;
import io.reapomni.calibration.stats.SkippedSample;
import io.reapomni.calibration.weights.WeightSource;
import io.reapomni.common.checkpoint.CheckpointException;
import io.reapomni.common.checkpoint.ModelConfig;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.checkpoint.StackConfig;
import io.reapomni.common.job.Modality;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs calibration samples through the thinker one decoder layer at a time: every sample passes layer l before
 * layer l+1 is loaded, and layer l's weights are freed before that. Memory is one layer's weights, the samples'
 * hidden states and the few earlier states the cosine statistics still need.
 */
public final class LayerByLayerRunner {
    /** Offsets n of the cos(h_l, h_{l+n}) statistics; layer pruning asks for blocks of up to this many layers. */
    public static final int MAX_COSINE_OFFSET = 3;

    private final ThinkerLoader thinker;
    private final AudioTowerLoader audioTower;
    private final int audioTokenId;
    private final ComputeOptions options;

    public LayerByLayerRunner(WeightSource source, ModelConfig config, ComputeOptions options)
            throws CheckpointException {
        StackConfig stack = config.stack(MoeStack.THINKER);
        this.thinker = new ThinkerLoader(source, stack, options.precision());
        this.audioTower = new AudioTowerLoader(source, config, options.precision());
        this.audioTokenId = config.at("/thinker_config/audio_token_id").asInt(151646);
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
                try (NDManager scratch = layerManager.newSubManager()) {
                    sample.hidden.tempAttach(scratch);
                    result = layer.apply(sample.hidden);
                    result.hidden().attach(samplesManager);
                }
                sample.hidden = result.hidden();
                List<ExpertLayerStats> experts = result.routing()
                        .map(trace -> List.of(ExpertLayerStats.of(layerIndex, trace)))
                        .orElse(List.of());
                List<CosineStats> cosines = windows.get(s).push(layerIndex + 1, result.hidden());
                record(stats, sample.input.modality(), new ModalityStats(0, 0, List.of(), experts, cosines));
            }
        }
    }

    private List<Embedded> embedAll(NDManager samplesManager, List<ThinkerInput> inputs,
                                    Map<String, ModalityStats> stats, ProgressListener progress) throws IOException {
        TokenEmbedding embedding = thinker.embedding();
        int withAudio = (int) inputs.stream().filter(input -> input.audio().isPresent()).count();
        int encoded = 0;
        List<Embedded> embedded = new ArrayList<>();
        try (NDManager towerManager = samplesManager.newSubManager()) {
            Optional<AudioTower> tower = withAudio > 0 ? Optional.of(audioTower.load(towerManager)) : Optional.empty();
            for (ThinkerInput input : inputs) {
                try {
                    embedded.add(new Embedded(input, embed(samplesManager, towerManager, embedding, tower, input)));
                } catch (AudioLengthMismatchException | IllegalArgumentException e) {
                    record(stats, input.modality(), ModalityStats.empty()
                            .withSkipped(new SkippedSample(input.id(), e.getMessage())));
                }
                if (input.audio().isPresent()) {
                    progress.audioEncoded(++encoded, withAudio);
                }
            }
        }
        return embedded;
    }

    private NDArray embed(NDManager samplesManager, NDManager towerManager, TokenEmbedding embedding,
                          Optional<AudioTower> tower, ThinkerInput input) throws AudioLengthMismatchException {
        int[] ids = input.tokenIds();
        if (input.audio().isEmpty()) {
            long pads = Arrays.stream(ids).filter(id -> id == audioTokenId).count();
            if (pads > 0) {
                throw new AudioLengthMismatchException(pads, 0);
            }
            return embedding.embed(samplesManager, ids);
        }
        try (NDManager scratch = towerManager.newSubManager()) {
            NDArray audioRows = tower.orElseThrow().encode(scratch, input.audio().get());
            NDArray merged = AudioMerge.replacePads(embedding.embed(scratch, ids), ids, audioTokenId, audioRows);
            merged.attach(samplesManager);
            return merged;
        }
    }

    private static void record(Map<String, ModalityStats> stats, Modality modality, ModalityStats delta) {
        stats.merge(modality.id(), delta, ModalityStats::plus);
    }

    /** A sample and its current residual state, which advances one layer at a time. */
    private static final class Embedded {
        final ThinkerInput input;
        NDArray hidden;

        Embedded(ThinkerInput input, NDArray hidden) {
            this.input = input;
            this.hidden = hidden;
        }
    }
}
