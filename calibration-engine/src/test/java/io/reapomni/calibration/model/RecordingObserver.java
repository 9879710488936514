package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Keeps, for the parity tests, everything a run shows, copied to the host: the stream h_l entering each layer l
 * (h_L after the last), and each MoE layer's router logits and REAP sums, batches concatenated in stream order.
 */
final class RecordingObserver implements LayerObserver {
    private final Map<Integer, List<float[]>> states = new TreeMap<>();
    private final Map<Integer, List<float[]>> routerLogits = new TreeMap<>();
    private final Map<Integer, long[]> routedCounts = new TreeMap<>();
    private final Map<Integer, double[]> saliencySums = new TreeMap<>();
    private final Map<Integer, double[]> gateSums = new TreeMap<>();

    @Override
    public void embedded(StreamBatch batch, NDArray hidden) {
        states.computeIfAbsent(0, key -> new ArrayList<>()).add(hidden.toFloatArray());
    }

    @Override
    public void layerDone(int layer, StreamBatch batch, NDArray hidden, Optional<ExpertRouting> routing) {
        states.computeIfAbsent(layer + 1, key -> new ArrayList<>()).add(hidden.toFloatArray());
        routing.ifPresent(trace -> {
            routerLogits.computeIfAbsent(layer, key -> new ArrayList<>()).add(trace.routerLogits().toFloatArray());
            for (ExpertRouting.ExpertChunk chunk : trace.chunks()) {
                add(routedCounts.computeIfAbsent(layer, key -> new long[chunk.routedCounts().length]),
                        chunk.routedCounts());
                add(saliencySums.computeIfAbsent(layer, key -> new double[chunk.routedCounts().length]),
                        chunk.saliencySums().toDoubleArray());
                add(gateSums.computeIfAbsent(layer, key -> new double[chunk.routedCounts().length]),
                        chunk.gateSums().toDoubleArray());
            }
        });
    }

    /** h_l: the stream entering layer l, or for l = the layer count the last layer's output. */
    float[] state(int layer) {
        return concat(states.get(layer));
    }

    float[] routerLogits(int layer) {
        return concat(routerLogits.get(layer));
    }

    long[] routedCounts(int layer) {
        return routedCounts.get(layer);
    }

    double[] saliencySums(int layer) {
        return saliencySums.get(layer);
    }

    double[] gateSums(int layer) {
        return gateSums.get(layer);
    }

    private static float[] concat(List<float[]> parts) {
        int length = parts.stream().mapToInt(part -> part.length).sum();
        float[] all = new float[length];
        int next = 0;
        for (float[] part : parts) {
            System.arraycopy(part, 0, all, next, part.length);
            next += part.length;
        }
        return all;
    }

    private static void add(long[] sums, long[] values) {
        for (int i = 0; i < sums.length; i++) {
            sums[i] += values[i];
        }
    }

    private static void add(double[] sums, double[] values) {
        for (int i = 0; i < sums.length; i++) {
            sums[i] += values[i];
        }
    }
}
