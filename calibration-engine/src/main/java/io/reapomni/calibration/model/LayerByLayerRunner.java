package io.reapomni.calibration.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.reapomni.calibration.vision.VideoPatches;
import io.reapomni.calibration.vision.VisionConfig;
import io.reapomni.calibration.vision.VisionFeatures;
import io.reapomni.calibration.vision.VisionTower;
import io.reapomni.calibration.vision.VisionTowerLoader;
import io.reapomni.calibration.weights.LayerPrefetch;
import io.reapomni.calibration.weights.PlacedWeights;
import io.reapomni.calibration.weights.WeightStager;
import io.reapomni.common.calibration.ConversionLoss;
import io.reapomni.common.checkpoint.CheckpointException;
import io.reapomni.common.checkpoint.ModelConfig;
import io.reapomni.common.checkpoint.MoeStack;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Runs samples through the thinker one decoder layer at a time: every sample passes layer l before layer l + 1, while
 * layer l + 1 is read, decoded and placed on the device in the background; layer l's weights are freed once it is
 * done. All samples form one residual stream (or, beyond what the device holds, a few batches kept in host
 * memory between layers), so that each layer's weights are read once per run whatever the number of samples.
 * What the run yields is left to a {@link LayerObserver}.
 */
public final class LayerByLayerRunner {
    private final WeightStager stager;
    private final ThinkerLoader thinker;
    private final AudioTowerLoader audioTower;
    private final VisionTowerLoader visionTower;
    private final int audioTokenId;
    private final int videoTokenId;
    private final float positionsPerSecond;
    private final ComputeOptions options;

    public LayerByLayerRunner(WeightStager stager, ModelConfig config, ComputeOptions options)
            throws CheckpointException {
        this.stager = stager;
        this.thinker = new ThinkerLoader(stager, config.stack(MoeStack.THINKER), options.precision());
        this.audioTower = new AudioTowerLoader(stager, config, options.precision());
        this.visionTower = new VisionTowerLoader(stager, VisionConfig.of(config), options.precision());
        this.audioTokenId = config.at("/thinker_config/audio_token_id").asInt(151646);
        this.videoTokenId = config.at("/thinker_config/video_token_id").asInt(151656);
        this.positionsPerSecond = (float) config.at("/thinker_config/position_id_per_seconds").asDouble(25);
        this.options = options;
    }

    public ThinkerLoader thinker() {
        return thinker;
    }

    /**
     * Embeds every input, then runs the usable ones through every decoder layer, showing {@code observer} each
     * batch's stream after the embedding and after every layer.
     */
    public RunReport run(List<ThinkerInput> inputs, LayerObserver observer, ProgressListener progress)
            throws IOException {
        Device device = options.device().toDjl();
        long tokens = inputs.stream().mapToLong(input -> input.tokenIds().length).sum();
        boolean resident = !device.isGpu() || tokens <= options.deviceTokens();
        List<RunReport.SkippedInput> skipped = new ArrayList<>();
        List<LayerCost> costs = new ArrayList<>();
        ConversionLoss towersLoss;
        Optional<RunReport.HostStream> hostStream = Optional.empty();
        try (NDManager deviceManager = NDManager.newBaseManager(device);
             NDManager hostManager = NDManager.newBaseManager(Device.cpu())) {
            NDManager home = resident ? deviceManager : hostManager;
            List<StreamBatch> batches = new ArrayList<>();
            try {
                try (NDManager embeddings = home.newSubManager()) {
                    Embedded embedded = embedAll(deviceManager, embeddings, inputs, skipped, progress);
                    towersLoss = embedded.towersLoss();
                    batches.addAll(pack(embedded.samples(), home, device));
                }
                if (!resident) {
                    hostStream = Optional.of(new RunReport.HostStream(
                            batches.stream().mapToLong(batch -> batch.layout().tokens()).sum(), batches.size(),
                            options.deviceTokens()));
                }
                for (StreamBatch batch : batches) {
                    try (NDManager scratch = deviceManager.newSubManager()) {
                        observer.embedded(batch, batch.onDevice(batch.hidden(), scratch));
                    }
                }
                if (!batches.isEmpty()) {
                    runLayers(deviceManager, batches, observer, progress, costs);
                }
            } finally {
                batches.forEach(StreamBatch::close);
            }
        }
        return new RunReport(skipped, costs, towersLoss,
                device.isGpu() ? Optional.of(stager.stagingMemory()) : Optional.empty(), hostStream);
    }

    private void runLayers(NDManager deviceManager, List<StreamBatch> batches, LayerObserver observer,
                           ProgressListener progress, List<LayerCost> costs) throws IOException {
        int layers = thinker.config().numHiddenLayers();
        long tokens = batches.stream().mapToLong(batch -> batch.layout().tokens()).sum();
        try (LayerPrefetch prefetch = new LayerPrefetch(stager, thinker::layerGroups, layers, deviceManager)) {
            for (int layer = 0; layer < layers; layer++) {
                long waitStart = System.nanoTime();
                try (PlacedWeights weights = prefetch.take(layer)) {
                    double waitSeconds = secondsSince(waitStart);
                    DecoderLayer decoder = thinker.layer(weights.tensors(), layer);
                    long computeStart = System.nanoTime();
                    for (StreamBatch batch : batches) {
                        runBatch(deviceManager, decoder, batch, observer);
                    }
                    awaitDevice(batches.get(batches.size() - 1));
                    LayerCost cost = new LayerCost(layer, weights.staging(), weights.placeSeconds(), waitSeconds,
                            secondsSince(computeStart), tokens);
                    costs.add(cost);
                    progress.layerCost(cost);
                    progress.layerDone(layer + 1, layers, tokens);
                }
            }
        }
    }

    private static void runBatch(NDManager deviceManager, DecoderLayer decoder, StreamBatch batch,
                                 LayerObserver observer) {
        int layer = decoder.index();
        try (NDManager scratch = deviceManager.newSubManager()) {
            NDArray hidden = batch.takeHidden(scratch);
            LayerResult result = decoder.apply(hidden, batch.ropeOn(scratch), batch.layoutOn(scratch));
            NDArray next = batch.deepstackOn(scratch, layer)
                    .map(deepstack -> deepstack.addAfterLayer(layer, result.hidden()))
                    .orElse(result.hidden());
            observer.layerDone(layer, batch, next, result.routing());
            batch.advance(next);
        }
    }

    /** Reads one value of the stream back, so that a layer's time includes the device finishing its work. */
    private static void awaitDevice(StreamBatch batch) {
        try (NDArray first = batch.hidden().get(new NDIndex("0, 0"))) {
            first.toFloatArray();
        }
    }

    /** One usable sample, embedded, with its rotary tables and deepstack features, on the run's home manager. */
    private record EmbeddedSample(ThinkerInput input, NDArray hidden, RotaryEmbedding rope,
                                  Optional<List<NDArray>> deepstack) {
    }

    /** The usable samples, embedded, and what converting the weights of the towers that encoded them lost. */
    private record Embedded(List<EmbeddedSample> samples, ConversionLoss towersLoss) {
    }

    /** Every input embedded, the media towers loaded for this run alone (when some sample has that medium). */
    private Embedded embedAll(NDManager deviceManager, NDManager keep, List<ThinkerInput> inputs,
                              List<RunReport.SkippedInput> skipped, ProgressListener progress) throws IOException {
        EmbeddingRows embedding = thinker.embedding()
                .rowsFor(inputs.stream().map(ThinkerInput::tokenIds).toList());
        int withAudio = (int) inputs.stream().filter(input -> input.audio().isPresent()).count();
        int withVideo = (int) inputs.stream().filter(input -> input.video().isPresent()).count();
        int audioEncoded = 0;
        int videoEncoded = 0;
        List<EmbeddedSample> embedded = new ArrayList<>();
        try (NDManager towerManager = deviceManager.newSubManager()) {
            EmbeddingRows.DeviceTable table = embedding.upload(towerManager);
            Optional<Loaded<AudioTower>> audio = withAudio > 0
                    ? Optional.of(audioTower.load(towerManager)) : Optional.empty();
            Optional<Loaded<VisionTower>> vision = withVideo > 0
                    ? Optional.of(visionTower.load(towerManager)) : Optional.empty();
            Encoders encoders = new Encoders(audio.map(Loaded::part), vision.map(Loaded::part));
            for (ThinkerInput input : inputs) {
                try {
                    embedded.add(embed(towerManager, keep, table, encoders, input));
                } catch (AudioLengthMismatchException | IllegalArgumentException e) {
                    skipped.add(new RunReport.SkippedInput(input, e.getMessage()));
                }
                if (input.audio().isPresent()) {
                    progress.audioEncoded(++audioEncoded, withAudio);
                }
                if (input.video().isPresent()) {
                    progress.videoEncoded(++videoEncoded, withVideo);
                }
            }
            return new Embedded(embedded, audio.map(Loaded::loss).orElse(ConversionLoss.NONE)
                    .plus(vision.map(Loaded::loss).orElse(ConversionLoss.NONE)));
        }
    }

    /**
     * The sample's merged embeddings (audio and video encodings in place of their pads), its rotary tables and its
     * deepstack features, computed on the device and kept on {@code keep}.
     */
    private EmbeddedSample embed(NDManager towerManager, NDManager keep, EmbeddingRows.DeviceTable embedding,
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
            Optional<List<NDArray>> deepstack = Optional.empty();
            if (input.video().isPresent()) {
                VisionFeatures features = encoders.vision().orElseThrow().encode(scratch, input.video().get());
                merged = PadMerge.replacePads(merged, ids, videoTokenId, features.tokens());
                deepstack = Optional.of(features.deepstack().stream().map(feature -> moveTo(feature, keep)).toList());
            }
            RotaryEmbedding rope = thinker.rope(scratch, positions);
            return new EmbeddedSample(input, moveTo(merged, keep),
                    new RotaryEmbedding(moveTo(rope.cos(), keep), moveTo(rope.sin(), keep)), deepstack);
        }
    }

    /** {@code array} owned by {@code keep}, copied there when {@code keep} is on another device. */
    private static NDArray moveTo(NDArray array, NDManager keep) {
        NDArray kept = array.getDevice().equals(keep.getDevice()) ? array : array.toDevice(keep.getDevice(), true);
        kept.attach(keep);
        return kept;
    }

    /**
     * Consecutive samples in batches of at most the device's token budget (a longer sample is a batch of its own),
     * each concatenated into one stream owned by a manager of its own under {@code home}.
     */
    private List<StreamBatch> pack(List<EmbeddedSample> samples, NDManager home, Device device) {
        List<StreamBatch> batches = new ArrayList<>();
        int first = 0;
        while (first < samples.size()) {
            int end = first;
            long tokens = 0;
            do {
                tokens += samples.get(end).input().tokenIds().length;
                end++;
            } while (end < samples.size()
                    && tokens + samples.get(end).input().tokenIds().length <= options.deviceTokens());
            batches.add(batch(batches.size(), samples.subList(first, end), home, device));
            first = end;
        }
        return batches;
    }

    private StreamBatch batch(int index, List<EmbeddedSample> samples, NDManager home, Device device) {
        NDManager manager = home.newSubManager();
        StreamLayout layout = StreamLayout.of(samples.stream().map(sample -> sample.input().id()).toList(),
                samples.stream().map(sample -> sample.input().modality()).toList(),
                samples.stream().mapToInt(sample -> sample.input().tokenIds().length).toArray());
        NDArray hidden = concat(samples.stream().map(EmbeddedSample::hidden).toList(), manager);
        RotaryEmbedding rope = new RotaryEmbedding(
                concat(samples.stream().map(sample -> sample.rope().cos()).toList(), manager),
                concat(samples.stream().map(sample -> sample.rope().sin()).toList(), manager));
        return new StreamBatch(index, layout, manager, device, hidden, rope, deepstack(samples, manager));
    }

    /**
     * The batch's deepstack: each level's features of its video samples, in stream order, put at the positions of
     * the batch's video pads.
     */
    private Optional<Deepstack> deepstack(List<EmbeddedSample> samples, NDManager manager) {
        List<List<NDArray>> withVideo = samples.stream().flatMap(sample -> sample.deepstack().stream()).toList();
        if (withVideo.isEmpty()) {
            return Optional.empty();
        }
        List<NDArray> levels = IntStream.range(0, withVideo.get(0).size())
                .mapToObj(level -> concat(withVideo.stream().map(features -> features.get(level)).toList(), manager))
                .toList();
        int[] ids = samples.stream().flatMapToInt(sample -> IntStream.of(sample.input().tokenIds())).toArray();
        return Optional.of(Deepstack.of(manager, levels, ids, videoTokenId));
    }

    /** The parts joined along the first axis, owned by {@code owner} (a single part is moved, not copied). */
    private static NDArray concat(List<NDArray> parts, NDManager owner) {
        NDArray joined = parts.size() == 1 ? parts.get(0) : NDArrays.concat(new NDList(parts), 0);
        joined.attach(owner);
        return joined;
    }

    private VideoTokenGrid tokenGrid(VideoPatches video) {
        int merge = visionTower.config().spatialMergeSize();
        video.grid().requireMergeable(merge);
        return new VideoTokenGrid(video.grid().temporal(), video.grid().height() / merge,
                video.grid().width() / merge, video.secondsPerGrid(), positionsPerSecond);
    }

    private static double secondsSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** The media encoders a run needs, loaded only when some sample has that medium. */
    private record Encoders(Optional<AudioTower> audio, Optional<VisionTower> vision) {
    }
}
