package io.reapomni.calibration.stats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * All statistics of the samples of one modality: sums and counts only, so that {@link #plus} of two runs equals the
 * run over both sets of samples. Lists are kept sorted by layer (and offset) so that equal sums compare equal.
 */
public record ModalityStats(
        long samples, long tokens, List<SkippedSample> skipped, List<ExpertLayerStats> experts,
        List<CosineStats> cosine) {

    public ModalityStats {
        skipped = List.copyOf(skipped);
        experts = experts.stream().sorted(Comparator.comparingInt(ExpertLayerStats::layer)).toList();
        cosine = cosine.stream()
                .sorted(Comparator.comparingInt(CosineStats::layer).thenComparingInt(CosineStats::offset))
                .toList();
    }

    public static ModalityStats empty() {
        return new ModalityStats(0, 0, List.of(), List.of(), List.of());
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
}
