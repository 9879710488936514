package io.reapomni.scoring.score;

import io.reapomni.common.plan.ScoringEvidence.BlockScore;
import io.reapomni.common.plan.ScoringEvidence.BlockStatus;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.IntStream;

/** Redundant layers: blocks whose output barely differs from their input, chosen greedily by similarity. */
public final class LayerBlocks {
    private LayerBlocks() {
    }

    /**
     * Every block [l, l + blockSize) of a stack of {@code layers} layers with its mean cosine and what became of it,
     * by first layer. The most similar candidates are taken first (ties: the lower first layer); a candidate that
     * overlaps a taken block or would take more than max-layers layers is passed over, and a smaller one further
     * down the list may still fit.
     *
     * @param meanCosine mean cos(h_l, h_{l+blockSize}) per first layer l, for every l in 0..layers-blockSize
     */
    public static List<BlockScore> choose(int layers, SortedMap<Integer, Double> meanCosine, BlockRule rule) {
        SortedMap<Integer, BlockStatus> status = new TreeMap<>();
        List<Integer> candidates = new ArrayList<>();
        for (Map.Entry<Integer, Double> block : meanCosine.entrySet()) {
            int first = block.getKey();
            if (first < rule.protectFirst() || first + rule.blockSize() > layers - rule.protectLast()) {
                status.put(first, BlockStatus.PROTECTED);
            } else if (block.getValue() >= rule.threshold()) {
                candidates.add(first);
            } else {
                status.put(first, BlockStatus.BELOW_THRESHOLD);
            }
        }
        candidates.sort(Comparator.<Integer>comparingDouble(meanCosine::get).reversed()
                .thenComparing(Comparator.naturalOrder()));
        List<Integer> chosen = new ArrayList<>();
        for (int first : candidates) {
            if (chosen.stream().anyMatch(other -> Math.abs(other - first) < rule.blockSize())) {
                status.put(first, BlockStatus.OVERLAPS_CHOSEN);
            } else if ((chosen.size() + 1) * rule.blockSize() > rule.maxLayers()) {
                status.put(first, BlockStatus.OVER_MAX_LAYERS);
            } else {
                chosen.add(first);
                status.put(first, BlockStatus.CHOSEN);
            }
        }
        return status.entrySet().stream()
                .map(entry -> new BlockScore(entry.getKey(), entry.getKey() + rule.blockSize() - 1,
                        meanCosine.get(entry.getKey()), entry.getValue()))
                .toList();
    }

    /** The layers of the chosen blocks, ascending. */
    public static List<Integer> droppedLayers(List<BlockScore> blocks) {
        return blocks.stream().filter(block -> block.status() == BlockStatus.CHOSEN)
                .flatMap(block -> IntStream.rangeClosed(block.firstLayer(), block.lastLayer()).boxed())
                .sorted()
                .toList();
    }
}
