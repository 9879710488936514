package io.reapomni.calibration.evaluation;

import ai.djl.ndarray.NDManager;
import io.reapomni.calibration.model.DecoderLayer;
import io.reapomni.calibration.model.ThinkerLoader;
import io.reapomni.calibration.weights.LayerPrefetch;
import io.reapomni.calibration.weights.PlacedWeights;
import io.reapomni.calibration.weights.TensorGroup;
import io.reapomni.calibration.weights.WeightStager;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A model's decoder layers for the passes of greedy generation, one pass per new token. Each pass needs every layer,
 * in order: weights are staged and placed a layer at a time, the next one read while the current one computes, as in
 * the prompt pass. When all of the model's decoded layers fit {@code residentBytes}, the first pass keeps them on the
 * device and later passes read nothing; otherwise every pass streams them again, so that memory stays two layers
 * (the current one and the next) whatever the model's size. What converting them could not keep is the prompt
 * pass's to report, which placed the same layers once: none of these placements counts it again.
 */
final class GenerationLayers implements AutoCloseable {

    /** What a pass does with each layer, in order. */
    @FunctionalInterface
    interface LayerStep {
        void apply(DecoderLayer layer) throws IOException;
    }

    private record Kept(PlacedWeights weights, DecoderLayer layer) {
    }

    private final WeightStager stager;
    private final ThinkerLoader thinker;
    private final NDManager device;
    private final boolean resident;
    private final List<Kept> kept = new ArrayList<>();

    /** @param device the manager the layers are placed under, on the compute device */
    GenerationLayers(WeightStager stager, ThinkerLoader thinker, NDManager device, long residentBytes)
            throws IOException {
        this.stager = stager;
        this.thinker = thinker;
        this.device = device;
        this.resident = decodedBytes() <= residentBytes;
    }

    /** Whether the layers stay on the device between passes. */
    boolean resident() {
        return resident;
    }

    /** Runs {@code step} on every layer, in order. */
    void pass(LayerStep step) throws IOException {
        int layers = thinker.config().numHiddenLayers();
        if (kept.size() == layers) {
            for (Kept layer : kept) {
                step.apply(layer.layer());
            }
            return;
        }
        close(); // a pass that failed half way kept some layers: start afresh
        try (LayerPrefetch prefetch = new LayerPrefetch(stager, thinker::layerGroups, layers, device)) {
            for (int index = 0; index < layers; index++) {
                PlacedWeights weights = prefetch.take(index);
                try {
                    DecoderLayer layer = thinker.layer(weights.tensors(), index);
                    step.apply(layer);
                    if (resident) {
                        kept.add(new Kept(weights, layer));
                        weights = null;
                    }
                } finally {
                    if (weights != null) {
                        weights.close();
                    }
                }
            }
        }
    }

    /** The bytes of all decoder layers once decoded into their compute types. */
    private long decodedBytes() throws IOException {
        long bytes = 0;
        for (int layer = 0; layer < thinker.config().numHiddenLayers(); layer++) {
            for (TensorGroup group : thinker.layerGroups(layer)) {
                long elements = 0;
                for (String name : group.names()) {
                    long count = 1;
                    for (long dim : stager.source().shape(name)) {
                        count *= dim;
                    }
                    elements += count;
                }
                bytes += elements * group.type().getNumOfBytes();
            }
        }
        return bytes;
    }

    @Override
    public void close() {
        kept.forEach(layer -> layer.weights().close());
        kept.clear();
    }
}
