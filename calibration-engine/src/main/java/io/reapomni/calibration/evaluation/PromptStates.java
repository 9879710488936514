package io.reapomni.calibration.evaluation;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.reapomni.calibration.model.ExpertRouting;
import io.reapomni.calibration.model.LayerObserver;
import io.reapomni.calibration.model.StreamBatch;
import io.reapomni.calibration.model.StreamLayout;
import io.reapomni.common.job.Modality;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * What evaluation keeps of a prompt pass, in host memory, per sample: the final hidden state (the last layer's
 * output, before the final norm), from which the head gives the next-token distributions; and, when greedy generation
 * follows, the stream entering every layer, from which that layer's keys and values are computed once its weights are
 * on the device again. Samples come out in stream order, batch after batch.
 */
final class PromptStates implements LayerObserver, AutoCloseable {
    private final NDManager host = NDManager.newBaseManager(Device.cpu());
    private final int layers;
    private final boolean keepLayerInputs;
    /** By batch index: the batch's samples, each with its arrays. */
    private final Map<Integer, List<SampleState>> batches = new TreeMap<>();

    /** One sample's kept arrays, [T, hidden] float32 on the host each. */
    static final class SampleState {
        private final StreamLayout.SampleSpan span;
        private final List<NDArray> layerInputs = new ArrayList<>();
        private NDArray finalHidden;

        private SampleState(StreamLayout.SampleSpan span) {
            this.span = span;
        }

        String id() {
            return span.id();
        }

        int tokens() {
            return span.length();
        }

        Modality modality() {
            return span.modality();
        }

        NDArray finalHidden() {
            return finalHidden;
        }

        /** The stream that entered layer {@code layer}; it is freed by {@link #releaseLayerInput}. */
        NDArray layerInput(int layer) {
            return layerInputs.get(layer);
        }

        void releaseLayerInput(int layer) {
            NDArray input = layerInputs.set(layer, null);
            if (input != null) {
                input.close();
            }
        }
    }

    /** @param keepLayerInputs whether to keep the stream entering every layer, for generation */
    PromptStates(int layers, boolean keepLayerInputs) {
        this.layers = layers;
        this.keepLayerInputs = keepLayerInputs;
    }

    @Override
    public void embedded(StreamBatch batch, NDArray hidden) {
        List<SampleState> samples = new ArrayList<>();
        for (StreamLayout.SampleSpan span : batch.layout().samples()) {
            samples.add(new SampleState(span));
        }
        batches.put(batch.index(), samples);
        if (keepLayerInputs) {
            keep(batch, hidden, (state, kept) -> state.layerInputs.add(kept));
        }
    }

    @Override
    public void layerDone(int layer, StreamBatch batch, NDArray hidden, Optional<ExpertRouting> routing) {
        if (layer == layers - 1) {
            keep(batch, hidden, (state, kept) -> state.finalHidden = kept);
        } else if (keepLayerInputs) {
            keep(batch, hidden, (state, kept) -> state.layerInputs.add(kept));
        }
    }

    /** Every sample that went through all layers, in stream order. */
    List<SampleState> samples() {
        return batches.values().stream().flatMap(List::stream).toList();
    }

    /** Copies each sample's rows of {@code hidden} to the host and hands them to {@code where}. */
    private void keep(StreamBatch batch, NDArray hidden, BiConsumer<SampleState, NDArray> where) {
        for (SampleState state : batches.get(batch.index())) {
            StreamLayout.SampleSpan span = state.span;
            try (NDArray rows = hidden.get(new NDIndex("{}:{}", span.start(), span.end()))) {
                NDArray copy = rows.getDevice().equals(host.getDevice()) ? rows.duplicate()
                        : rows.toDevice(host.getDevice(), true);
                copy.attach(host);
                where.accept(state, copy);
            }
        }
    }

    @Override
    public void close() {
        host.close();
    }
}
