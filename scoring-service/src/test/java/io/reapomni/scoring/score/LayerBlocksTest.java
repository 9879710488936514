package io.reapomni.scoring.score;

import io.reapomni.common.plan.ScoringEvidence.BlockScore;
import io.reapomni.common.plan.ScoringEvidence.BlockStatus;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Block choice on similarity tables worked out by hand. */
class LayerBlocksTest {

    @Test
    void takesTheMostSimilarSingleLayersUpToMaxLayersAndNeverAProtectedOne() {
        // layer 0 and 7 are the most similar but protected; candidates 4 (.97), 1 (.95), 3 (.93), 5 (.91)
        List<BlockScore> blocks = LayerBlocks.choose(8,
                cosines(0.99, 0.95, 0.80, 0.93, 0.97, 0.91, 0.50, 0.98), new BlockRule(1, 0.9, 2, 1, 1));

        assertThat(statuses(blocks)).containsExactly(BlockStatus.PROTECTED, BlockStatus.CHOSEN,
                BlockStatus.BELOW_THRESHOLD, BlockStatus.OVER_MAX_LAYERS, BlockStatus.CHOSEN,
                BlockStatus.OVER_MAX_LAYERS, BlockStatus.BELOW_THRESHOLD, BlockStatus.PROTECTED);
        assertThat(LayerBlocks.droppedLayers(blocks)).containsExactly(1, 4);
    }

    @Test
    void aBlockOverlappingAMoreSimilarChosenOneIsPassedOverAndALaterOneMayStillFit() {
        // blocks of 2: [l, l+2); allowed l = 1..5 (layer 0 and 7 protected); candidates 2 (.97), 1 (.96),
        // 5 (.95), 3 (.92): 2 is taken, 1 and 3 overlap it, 5 fits beside it within 4 layers
        List<BlockScore> blocks = LayerBlocks.choose(8,
                cosines(0.90, 0.96, 0.97, 0.92, 0.50, 0.95, 0.99), new BlockRule(2, 0.9, 4, 1, 1));

        assertThat(statuses(blocks)).containsExactly(BlockStatus.PROTECTED, BlockStatus.OVERLAPS_CHOSEN,
                BlockStatus.CHOSEN, BlockStatus.OVERLAPS_CHOSEN, BlockStatus.BELOW_THRESHOLD, BlockStatus.CHOSEN,
                BlockStatus.PROTECTED);
        assertThat(blocks.get(2)).isEqualTo(new BlockScore(2, 3, 0.97, BlockStatus.CHOSEN));
        assertThat(LayerBlocks.droppedLayers(blocks)).containsExactly(2, 3, 5, 6);
    }

    @Test
    void aBlockLargerThanMaxLayersIsNeverTaken() {
        List<BlockScore> blocks = LayerBlocks.choose(6, cosines(0.99, 0.99, 0.99, 0.99), new BlockRule(3, 0.9, 2, 0, 0));

        assertThat(statuses(blocks)).containsOnly(BlockStatus.OVER_MAX_LAYERS);
        assertThat(LayerBlocks.droppedLayers(blocks)).isEmpty();
    }

    @Test
    void nothingIsDroppedWhenNoBlockReachesTheThreshold() {
        List<BlockScore> blocks = LayerBlocks.choose(5, cosines(0.5, 0.6, 0.7, 0.8, 0.89),
                new BlockRule(1, 0.9, 3, 0, 0));

        assertThat(statuses(blocks)).containsOnly(BlockStatus.BELOW_THRESHOLD);
        assertThat(LayerBlocks.droppedLayers(blocks)).isEmpty();
    }

    @Test
    void aBlockThatExactlyReachesTheThresholdIsACandidateAndEqualSimilaritiesGoToTheLowerLayer() {
        List<BlockScore> blocks = LayerBlocks.choose(4, cosines(0.9, 0.9, 0.9, 0.9), new BlockRule(1, 0.9, 1, 0, 0));

        assertThat(LayerBlocks.droppedLayers(blocks)).containsExactly(0);
    }

    private static SortedMap<Integer, Double> cosines(double... byFirstLayer) {
        SortedMap<Integer, Double> map = new TreeMap<>();
        for (int layer = 0; layer < byFirstLayer.length; layer++) {
            map.put(layer, byFirstLayer[layer]);
        }
        return map;
    }

    private static List<BlockStatus> statuses(List<BlockScore> blocks) {
        return blocks.stream().map(BlockScore::status).toList();
    }
}
