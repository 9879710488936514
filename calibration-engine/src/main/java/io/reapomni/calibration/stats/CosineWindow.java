package io.reapomni.calibration.stats;

import ai.djl.ndarray.NDArray;
import io.reapomni.common.calibration.CosineStats;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * The last few residual states of one sample, so that cos(h_l, h_{l+n}) can be summed as the layers advance without
 * keeping every layer's hidden state. It owns the states it holds and closes them when they fall out of the window.
 */
public final class CosineWindow implements AutoCloseable {
    private final int maxOffset;
    private final Deque<IndexedState> states = new ArrayDeque<>();

    private record IndexedState(int layer, NDArray hidden) {
    }

    public CosineWindow(int maxOffset) {
        if (maxOffset < 1) {
            throw new IllegalArgumentException("max offset must be at least 1, got " + maxOffset);
        }
        this.maxOffset = maxOffset;
    }

    /**
     * Adds h_{layer} ([T, hidden]) and returns its cosine sums against the states up to {@code maxOffset} layers
     * before it, one entry per offset, each keyed by the earlier layer.
     */
    public List<CosineStats> push(int layer, NDArray hidden) {
        List<CosineStats> sums = new ArrayList<>();
        long tokens = hidden.getShape().get(0);
        float[] norms = tokenNorms(hidden);
        for (IndexedState earlier : states) {
            float[] earlierNorms = tokenNorms(earlier.hidden());
            float[] dots;
            try (NDArray products = hidden.mul(earlier.hidden()); NDArray dot = products.sum(new int[] {-1})) {
                dots = dot.toFloatArray();
            }
            double sum = 0;
            for (int token = 0; token < tokens; token++) {
                sum += dots[token] / ((double) norms[token] * earlierNorms[token]);
            }
            sums.add(new CosineStats(earlier.layer(), layer - earlier.layer(), sum, tokens));
        }
        states.addLast(new IndexedState(layer, hidden));
        Iterator<IndexedState> oldestFirst = states.iterator();
        while (oldestFirst.hasNext()) {
            IndexedState state = oldestFirst.next();
            if (layer - state.layer() >= maxOffset) {
                state.hidden().close();
                oldestFirst.remove();
            }
        }
        return sums;
    }

    /** Closes the intermediate at once: the states live on a long-lived manager that would otherwise collect it. */
    private static float[] tokenNorms(NDArray hidden) {
        try (NDArray norm = hidden.norm(new int[] {-1})) {
            return norm.toFloatArray();
        }
    }

    @Override
    public void close() {
        states.forEach(state -> state.hidden().close());
        states.clear();
    }
}
