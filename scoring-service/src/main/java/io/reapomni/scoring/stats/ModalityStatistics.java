package io.reapomni.scoring.stats;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The statistics of the samples of one modality: sums and counts only, so that {@link #plus} of two tasks equals the
 * statistics of both tasks' samples.
 *
 * @param experts per MoE layer
 * @param cosine  per first layer, per offset
 */
public record ModalityStatistics(long samples, long tokens, List<SkippedSample> skipped,
                                 SortedMap<Integer, ExpertSums> experts,
                                 SortedMap<Integer, SortedMap<Integer, CosineSum>> cosine) {

    public ModalityStatistics {
        skipped = List.copyOf(skipped);
        experts = Collections.unmodifiableSortedMap(new TreeMap<>(experts));
        SortedMap<Integer, SortedMap<Integer, CosineSum>> cosineCopy = new TreeMap<>();
        cosine.forEach((layer, byOffset) ->
                cosineCopy.put(layer, Collections.unmodifiableSortedMap(new TreeMap<>(byOffset))));
        cosine = Collections.unmodifiableSortedMap(cosineCopy);
    }

    /** Whether any sample of this modality went through the model. */
    public boolean hasSamples() {
        return samples > 0;
    }

    public Optional<ExpertSums> expertsOf(int layer) {
        return Optional.ofNullable(experts.get(layer));
    }

    /** The cosine sum of the block that starts at {@code layer} and spans {@code offset} layers. */
    public Optional<CosineSum> cosine(int layer, int offset) {
        return Optional.ofNullable(cosine.getOrDefault(layer, Collections.emptySortedMap()).get(offset));
    }

    public ModalityStatistics plus(ModalityStatistics other) {
        List<SkippedSample> allSkipped = new ArrayList<>(skipped);
        allSkipped.addAll(other.skipped);
        SortedMap<Integer, ExpertSums> allExperts = new TreeMap<>(experts);
        other.experts.forEach((layer, sums) -> allExperts.merge(layer, sums, ExpertSums::plus));
        SortedMap<Integer, SortedMap<Integer, CosineSum>> allCosine = new TreeMap<>();
        for (Map<Integer, SortedMap<Integer, CosineSum>> part : List.of(cosine, other.cosine)) {
            part.forEach((layer, byOffset) -> byOffset.forEach((offset, sum) ->
                    allCosine.computeIfAbsent(layer, key -> new TreeMap<>()).merge(offset, sum, CosineSum::plus)));
        }
        return new ModalityStatistics(samples + other.samples, tokens + other.tokens, allSkipped, allExperts,
                allCosine);
    }
}
