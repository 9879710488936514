package io.reapomni.common.calibration;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * All statistics of the samples of one modality: sums and counts only, so that {@link #plus} of two runs equals the
 * run over both sets of samples. Lists are kept sorted by layer (and offset) so that equal sums compare equal, and
 * each layer (and offset) is listed once, so that a lookup cannot miss part of the sums.
 */
public record ModalityStats(
        long samples, long tokens, List<SkippedSample> skipped, List<ExpertLayerStats> experts,
        List<CosineStats> cosine) {

    public ModalityStats {
        if (samples < 0 || tokens < 0) {
            throw new IllegalArgumentException("samples and tokens must be >= 0, got " + samples + " and " + tokens);
        }
        skipped = List.copyOf(required(skipped, "skipped"));
        experts = required(experts, "experts").stream().sorted(Comparator.comparingInt(ExpertLayerStats::layer))
                .toList();
        cosine = required(cosine, "cosine").stream()
                .sorted(Comparator.comparingInt(CosineStats::layer).thenComparingInt(CosineStats::offset))
                .toList();
        for (int i = 1; i < experts.size(); i++) {
            if (experts.get(i).layer() == experts.get(i - 1).layer()) {
                throw new IllegalArgumentException("experts: layer " + experts.get(i).layer() + " is listed twice");
            }
        }
        for (int i = 1; i < cosine.size(); i++) {
            CosineStats entry = cosine.get(i);
            CosineStats previous = cosine.get(i - 1);
            if (entry.layer() == previous.layer() && entry.offset() == previous.offset()) {
                throw new IllegalArgumentException("cosine: layer " + entry.layer() + " offset " + entry.offset()
                        + " is listed twice");
            }
        }
    }

    public static ModalityStats empty() {
        return new ModalityStats(0, 0, List.of(), List.of(), List.of());
    }

    /** Whether any sample of this modality went through the model. */
    public boolean hasSamples() {
        return samples > 0;
    }

    public Optional<ExpertLayerStats> expertsOf(int layer) {
        return experts.stream().filter(stats -> stats.layer() == layer).findFirst();
    }

    /** The cosine sum of the block that starts at {@code layer} and spans {@code offset} layers. */
    public Optional<CosineStats> cosine(int layer, int offset) {
        return cosine.stream().filter(entry -> entry.layer() == layer && entry.offset() == offset).findFirst();
    }

    public ModalityStats plus(ModalityStats other) {
        List<SkippedSample> allSkipped = new ArrayList<>(skipped);
        allSkipped.addAll(other.skipped);

        Map<Integer, ExpertLayerStats> expertsByLayer = new TreeMap<>();
        for (ExpertLayerStats layerStats : concat(experts, other.experts)) {
            expertsByLayer.merge(layerStats.layer(), layerStats, ExpertLayerStats::plus);
        }
        Map<Long, CosineStats> cosineByKey = new TreeMap<>();
        for (CosineStats entry : concat(cosine, other.cosine)) {
            cosineByKey.merge(((long) entry.layer() << 32) | entry.offset(), entry, CosineStats::plus);
        }
        return new ModalityStats(samples + other.samples, tokens + other.tokens, allSkipped,
                List.copyOf(expertsByLayer.values()), List.copyOf(cosineByKey.values()));
    }

    public ModalityStats withSkipped(SkippedSample sample) {
        return plus(new ModalityStats(0, 0, List.of(sample), List.of(), List.of()));
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** A document that leaves out a list is malformed, not empty. */
    private static <T> List<T> required(List<T> list, String name) {
        if (list == null) {
            throw new IllegalArgumentException(name + " must be an array");
        }
        return list;
    }
}
