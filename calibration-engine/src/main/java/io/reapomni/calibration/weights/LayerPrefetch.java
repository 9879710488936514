package io.reapomni.calibration.weights;

import ai.djl.ndarray.NDManager;
import io.reapomni.common.storage.Futures;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Stages layer l + 1 and places it on the device on a background thread while layer l computes, so that reading,
 * decoding and the copy to the device hide behind the device's work; at most the layer being computed and the one
 * being prepared exist at once, on the host and on the device.
 */
public final class LayerPrefetch implements AutoCloseable {

    /** The tensor groups of a layer. */
    @FunctionalInterface
    public interface LayerGroups {
        List<TensorGroup> of(int layer) throws IOException;
    }

    private final WeightStager stager;
    private final LayerGroups groups;
    private final int layers;
    private final NDManager device;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> {
        Thread prefetch = new Thread(runnable, "reap-layer-prefetch");
        prefetch.setDaemon(true);
        return prefetch;
    });
    private Future<PlacedWeights> pending;
    private int pendingLayer = -1;

    /** @param device the manager under which each layer's weights get a manager of their own */
    public LayerPrefetch(WeightStager stager, LayerGroups groups, int layers, NDManager device) {
        this.stager = stager;
        this.groups = groups;
        this.layers = layers;
        this.device = device;
    }

    /**
     * Layer {@code layer}'s weights on the device, waiting for them if they are still being read or copied; starts
     * preparing the next layer before returning. The caller closes what it gets.
     */
    public PlacedWeights take(int layer) throws IOException {
        if (pendingLayer != layer) {
            discardPending();
            pending = submit(layer);
        }
        PlacedWeights placed = Futures.get(pending, "a layer's weights");
        pending = layer + 1 < layers ? submit(layer + 1) : null;
        pendingLayer = layer + 1;
        return placed;
    }

    private Future<PlacedWeights> submit(int layer) {
        return thread.submit(() -> PlacedWeights.place(stager.stage(groups.of(layer)), device));
    }

    /**
     * A layer prepared ahead that nobody will take is freed; waits for its preparation to end rather than
     * interrupting reads half done.
     */
    private void discardPending() {
        if (pending == null) {
            return;
        }
        try {
            pending.get().close();
        } catch (ExecutionException e) {
            // it failed: nothing was kept, and whoever asks for that layer again sees the failure afresh
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pending = null;
    }

    @Override
    public void close() {
        discardPending();
        thread.shutdownNow();
    }
}
