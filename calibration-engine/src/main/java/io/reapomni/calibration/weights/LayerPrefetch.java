package io.reapomni.calibration.weights;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Stages layer l + 1 on a background thread while layer l computes, so that reading and decoding hide behind the
 * device's work; at most the layer being computed and the one being staged exist at once.
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
    private final ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> {
        Thread prefetch = new Thread(runnable, "reap-layer-prefetch");
        prefetch.setDaemon(true);
        return prefetch;
    });
    private Future<StagedWeights> pending;
    private int pendingLayer = -1;

    public LayerPrefetch(WeightStager stager, LayerGroups groups, int layers) {
        this.stager = stager;
        this.groups = groups;
        this.layers = layers;
    }

    /**
     * Layer {@code layer}'s staged weights, waiting for them if they are still being read; starts staging the next
     * layer before returning. The caller closes or places what it gets.
     */
    public StagedWeights take(int layer) throws IOException {
        if (pendingLayer != layer) {
            discardPending();
            pending = submit(layer);
        }
        StagedWeights staged = Futures.get(pending, "a layer's weights");
        pending = layer + 1 < layers ? submit(layer + 1) : null;
        pendingLayer = layer + 1;
        return staged;
    }

    private Future<StagedWeights> submit(int layer) {
        return thread.submit(() -> stager.stage(groups.of(layer)));
    }

    /**
     * A layer staged ahead that nobody will take gives its blocks back; waits for its staging to end rather than
     * interrupting reads half done.
     */
    private void discardPending() {
        if (pending == null) {
            return;
        }
        try {
            pending.get().close();
        } catch (ExecutionException e) {
            // it failed: nothing was staged, and whoever asks for that layer again sees the failure afresh
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
