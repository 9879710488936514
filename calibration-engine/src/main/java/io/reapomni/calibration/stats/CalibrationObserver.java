package io.reapomni.calibration.stats;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.reapomni.calibration.model.ExpertRouting;
import io.reapomni.calibration.model.LayerObserver;
import io.reapomni.calibration.model.StreamBatch;
import io.reapomni.calibration.model.StreamLayout;
import io.reapomni.calibration.torch.TorchScriptKernels;
import io.reapomni.common.calibration.CalibrationStats;
import io.reapomni.common.calibration.CosineStats;
import io.reapomni.common.calibration.ExpertLayerStats;
import io.reapomni.common.calibration.ModalityStats;
import io.reapomni.common.job.Modality;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.LongStream;

/**
 * The calibration statistics of a run, per data set, summed on the device in float64 as the layers go and read back
 * once at the end: for every MoE layer and expert the REAP sums (Σ g·‖f‖, routed count, Σ g), and for every layer l
 * and offset n ≤ {@value #MAX_COSINE_OFFSET} the sum over tokens of cos(h_l, h_{l+n}). The last few states of each
 * batch are kept (where the batch lives between layers) until no later layer needs them.
 */
public final class CalibrationObserver implements LayerObserver, AutoCloseable {
    /** Offsets n of the cos(h_l, h_{l+n}) statistics; layer pruning asks for blocks of up to this many layers. */
    public static final int MAX_COSINE_OFFSET = 3;

    private final NDManager sums;
    private final Map<Modality, Sums> byModality = new EnumMap<>(Modality.class);
    private final Map<Integer, Deque<KeptState>> windows = new HashMap<>();

    /** @param device where the running sums live: the device the run computes on */
    public CalibrationObserver(Device device) {
        this.sums = NDManager.newBaseManager(device);
    }

    @Override
    public void embedded(StreamBatch batch, NDArray hidden) {
        for (StreamLayout.SampleSpan sample : batch.layout().samples()) {
            Sums modality = sums(sample.modality());
            modality.samples++;
            modality.tokens += sample.length();
        }
        windows.put(batch.index(), new ArrayDeque<>());
        push(batch, 0, hidden, hidden.norm(new int[] {-1}));
    }

    @Override
    public void layerDone(int layer, StreamBatch batch, NDArray hidden, Optional<ExpertRouting> routing) {
        routing.ifPresent(trace -> addExperts(layer, batch.layout(), trace));
        int current = layer + 1;
        NDArray norms = hidden.norm(new int[] {-1});
        Deque<KeptState> window = windows.get(batch.index());
        if (!window.isEmpty()) {
            List<StreamLayout.Segment> segments = batch.layout().segments();
            long[] bounds = segments.stream()
                    .flatMapToLong(segment -> LongStream.of(segment.start(), segment.end())).toArray();
            try (NDManager scratch = sums.newSubManager()) {
                List<NDArray> states = new ArrayList<>();
                List<NDArray> stateNorms = new ArrayList<>();
                List<NDArray> targets = new ArrayList<>();
                for (KeptState earlier : window) {
                    states.add(batch.onDevice(earlier.hidden(), scratch));
                    stateNorms.add(batch.onDevice(earlier.norms(), scratch));
                    for (StreamLayout.Segment segment : segments) {
                        CosineSum sum = sums(segment.modality()).cosine(earlier.layer(), current - earlier.layer());
                        targets.add(sum.sum);
                        sum.tokens += segment.tokens();
                    }
                }
                // one call for every earlier state and data set, rather than a dozen operations each
                TorchScriptKernels.get().call("add_cosine_sums").tensor(hidden).tensor(norms).tensors(states)
                        .tensors(stateNorms).integers(bounds).tensors(targets).returningNothing();
            }
        }
        push(batch, current, hidden, norms);
    }

    /** The statistics of everything observed so far; the device's sums are read back in one transfer. */
    public CalibrationStats statistics() {
        NDList deviceSums = new NDList();
        byModality.values().forEach(modality -> {
            modality.experts.values().forEach(layer -> {
                deviceSums.add(layer.saliency());
                deviceSums.add(layer.gate());
            });
            modality.cosines.values().forEach(cosine -> deviceSums.add(cosine.sum));
        });
        double[] values = new double[0];
        if (!deviceSums.isEmpty()) {
            try (NDArray joined = NDArrays.concat(deviceSums, 0)) {
                values = joined.toDoubleArray();
            }
        }
        Map<String, ModalityStats> stats = new HashMap<>();
        int next = 0;
        for (Map.Entry<Modality, Sums> entry : byModality.entrySet()) {
            Sums modality = entry.getValue();
            List<ExpertLayerStats> experts = new ArrayList<>();
            for (Map.Entry<Integer, ExpertSums> layer : modality.experts.entrySet()) {
                int count = layer.getValue().counts().length;
                experts.add(new ExpertLayerStats(layer.getKey(), Arrays.copyOfRange(values, next, next + count),
                        layer.getValue().counts().clone(), Arrays.copyOfRange(values, next + count, next + 2 * count)));
                next += 2 * count;
            }
            List<CosineStats> cosines = new ArrayList<>();
            for (Map.Entry<List<Integer>, CosineSum> cosine : modality.cosines.entrySet()) {
                cosines.add(new CosineStats(cosine.getKey().get(0), cosine.getKey().get(1), values[next++],
                        cosine.getValue().tokens));
            }
            stats.put(entry.getKey().id(), new ModalityStats(modality.samples, modality.tokens, List.of(), experts,
                    cosines));
        }
        return new CalibrationStats(stats);
    }

    private void addExperts(int layer, StreamLayout layout, ExpertRouting routing) {
        for (ExpertRouting.ExpertChunk chunk : routing.chunks()) {
            long[] counts = chunk.routedCounts();
            ExpertSums layerSums = sums(segmentOf(layout, chunk.start()).modality()).experts(layer, counts.length);
            layerSums.saliency().addi(chunk.saliencySums());
            layerSums.gate().addi(chunk.gateSums());
            for (int expert = 0; expert < counts.length; expert++) {
                layerSums.counts()[expert] += counts[expert];
            }
        }
    }

    /** Keeps h_{layer} of the batch for the offsets still to come, and drops what no later layer needs. */
    private void push(StreamBatch batch, int layer, NDArray hidden, NDArray norms) {
        Deque<KeptState> window = windows.get(batch.index());
        window.addLast(new KeptState(layer, batch.keep(hidden, sums), batch.keep(norms, sums)));
        norms.close();
        Iterator<KeptState> oldestFirst = window.iterator();
        while (oldestFirst.hasNext()) {
            KeptState state = oldestFirst.next();
            if (layer - state.layer() >= MAX_COSINE_OFFSET) {
                state.close();
                oldestFirst.remove();
            }
        }
    }

    private static StreamLayout.Segment segmentOf(StreamLayout layout, int position) {
        return layout.segments().stream()
                .filter(segment -> segment.start() <= position && position < segment.end())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("position " + position + " is outside the stream"));
    }

    private Sums sums(Modality modality) {
        return byModality.computeIfAbsent(modality, key -> new Sums());
    }

    @Override
    public void close() {
        windows.values().forEach(window -> window.forEach(KeptState::close));
        windows.clear();
        sums.close();
    }

    /** A stream state kept for later cosines, with its per-token norms. */
    private record KeptState(int layer, NDArray hidden, NDArray norms) {
        void close() {
            hidden.close();
            norms.close();
        }
    }

    /** One data set's running sums: counts on the host, sums on the device. */
    private final class Sums {
        private long samples;
        private long tokens;
        private final Map<Integer, ExpertSums> experts = new TreeMap<>();
        private final Map<List<Integer>, CosineSum> cosines = new HashMap<>();

        ExpertSums experts(int layer, int count) {
            return experts.computeIfAbsent(layer, key -> new ExpertSums(
                    sums.zeros(new Shape(count), DataType.FLOAT64), sums.zeros(new Shape(count), DataType.FLOAT64),
                    new long[count]));
        }

        CosineSum cosine(int layer, int offset) {
            return cosines.computeIfAbsent(List.of(layer, offset),
                    key -> new CosineSum(sums.zeros(new Shape(1), DataType.FLOAT64)));
        }
    }

    private record ExpertSums(NDArray saliency, NDArray gate, long[] counts) {
    }

    private static final class CosineSum {
        private final NDArray sum;
        private long tokens;

        CosineSum(NDArray sum) {
            this.sum = sum;
        }
    }
}
