package io.reapomni.common.plan;

import com.fasterxml.jackson.databind.node.IntNode;
import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.checkpoint.TestCheckpoints;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class PlanValidatorTest {

    /** Thinker 4 layers × 4 experts, top-2, talker reading hidden state 2 (the output of layer 1). */
    private static Checkpoint checkpoint(boolean withTalker) throws Exception {
        return TestCheckpoints.synthetic(TestCheckpoints.config(4, 4, 2, 2), 4, 4, withTalker);
    }

    private static SortedMap<Integer, List<Integer>> layers(Object... layerThenIds) {
        SortedMap<Integer, List<Integer>> map = new TreeMap<>();
        for (int i = 0; i < layerThenIds.length; i += 2) {
            @SuppressWarnings("unchecked") List<Integer> ids = (List<Integer>) layerThenIds[i + 1];
            map.put((Integer) layerThenIds[i], ids);
        }
        return map;
    }

    private static List<String> problems(PruningPlan plan, Checkpoint checkpoint) {
        return PlanValidator.problems(plan, checkpoint.config(), checkpoint.inventory());
    }

    @Test
    void acceptsAConsistentPlan() throws Exception {
        PruningPlan plan = PruningPlan.empty().withLayers(Map.of(MoeStack.THINKER, List.of(0, 1, 3)))
                .withExperts(Map.of(MoeStack.THINKER, layers(0, List.of(0, 1), 1, List.of(1, 3), 3, List.of(2, 3))));

        assertThat(problems(plan, checkpoint(true))).isEmpty();
    }

    @Test
    void refusesToRemapATalkerHiddenStateThatTheSourceDoesNotHave() throws Exception {
        Checkpoint broken = TestCheckpoints.synthetic(TestCheckpoints.config(4, 4, 2, 7), 4, 4, true);
        PruningPlan plan = PruningPlan.empty().withLayers(Map.of(MoeStack.THINKER, List.of(0, 2, 3)));

        assertThat(problems(plan, broken)).containsExactly("talker_config.accept_hidden_layer is 7, not one of the"
                + " thinker's hidden states 0..4: the config is inconsistent; strip the talker or fix the config");
        assertThat(problems(plan.withStrip(Set.of(Strip.TALKER)), broken)).isEmpty();
    }

    @Test
    void refusesStripsOfAbsentComponentsAndPruningOfStrippedOrAbsentStacks() throws Exception {
        PruningPlan plan = PruningPlan.empty().withStrip(Set.of(Strip.TALKER))
                .withExperts(Map.of(MoeStack.TALKER, layers(0, List.of(0, 1), 1, List.of(0, 1))));
        assertThat(problems(plan, checkpoint(false))).containsExactlyInAnyOrder(
                "strip talker: the checkpoint has no talker tensors",
                "experts.talker: the plan strips the talker, so it cannot also prune it");

        PruningPlan absent = PruningPlan.empty().withLayers(Map.of(MoeStack.TALKER, List.of(0)));
        assertThat(problems(absent, checkpoint(false)))
                .containsExactly("layers.talker: the checkpoint has no talker decoder layers");
    }

    @Test
    void refusesBadLayerLists() throws Exception {
        Checkpoint checkpoint = checkpoint(false);
        assertThat(problems(PruningPlan.empty().withLayers(Map.of(MoeStack.THINKER, List.of(0, 4, 3, 3))), checkpoint))
                .contains("layers.thinker: layer 4 is out of range 0..3",
                        "layers.thinker: layer ids must be ascending, but 3 follows 4",
                        "layers.thinker: layer 3 is listed twice");
        assertThat(problems(PruningPlan.empty().withLayers(Map.of(MoeStack.THINKER, List.of())), checkpoint))
                .contains("layers.thinker keeps no layer: a decoder needs at least one");
    }

    @Test
    void refusesMissingDroppedAndBadExpertEntries() throws Exception {
        PruningPlan plan = PruningPlan.empty().withLayers(Map.of(MoeStack.THINKER, List.of(0, 1, 3)))
                .withExperts(Map.of(MoeStack.THINKER, layers(0, List.of(1, 1), 1, List.of(3, 2), 2, List.of(0, 1),
                        7, List.of(0, 1))));

        assertThat(problems(plan, checkpoint(false))).containsExactlyInAnyOrder(
                "experts.thinker: MoE layer 3 is kept but has no entry (every kept MoE layer needs one)",
                "experts.thinker.0: expert 1 is listed twice",
                "experts.thinker.1: expert ids must be ascending, but 2 follows 3",
                "experts.thinker.2: layer 2 is dropped by layers.thinker, so it has no experts to keep",
                "experts.thinker.7: layer 7 is not in the checkpoint (layers 0..3)");
    }

    @Test
    void refusesExpertCountsThatDifferTooFewOrOutOfRange() throws Exception {
        PruningPlan plan = PruningPlan.empty().withExperts(Map.of(MoeStack.THINKER,
                layers(0, List.of(0, 1), 1, List.of(0, 1, 2), 2, List.of(3), 3, List.of(0, 9))));

        assertThat(problems(plan, checkpoint(false))).contains(
                "experts.thinker.2 keeps 1 experts, fewer than num_experts_per_tok (2) routes to",
                "experts.thinker.3: expert 9 is out of range 0..3",
                "experts.thinker keeps [1, 2, 3] experts in different layers; transformers allows one num_experts per stack,"
                        + " so every layer must keep the same number");
        PruningPlan none = PruningPlan.empty().withExperts(Map.of(MoeStack.THINKER,
                layers(0, List.of(), 1, List.of(), 2, List.of(), 3, List.of())));
        assertThat(problems(none, checkpoint(false))).contains("experts.thinker.0 keeps no expert");
    }

    @Test
    void refusesAnEntryForADenseLayer() throws Exception {
        var config = TestCheckpoints.config(4, 4, 2, 2);
        config.with("thinker_config").with("text_config").putArray("mlp_only_layers").add(1);
        var names = new java.util.ArrayList<>(TestCheckpoints.stackNames(MoeStack.THINKER, 4, 4));
        names.removeIf(name -> name.startsWith("thinker.model.layers.1.mlp."));
        Checkpoint checkpoint = TestCheckpoints.parts(config, Map.of("a.safetensors", TestCheckpoints.tensors(names, 4)))
                .checkpoint();

        PruningPlan plan = PruningPlan.empty().withExperts(Map.of(MoeStack.THINKER,
                layers(0, List.of(0, 1), 1, List.of(0, 1), 2, List.of(0, 1), 3, List.of(0, 1))));

        assertThat(problems(plan, checkpoint))
                .containsExactly("experts.thinker.1: layer 1 is a dense (mlp_only) layer and has no experts");
    }

    @Test
    void acceptsDroppingTheLayerBeforeTheTalkersHiddenState() throws Exception {
        // The talker reads depth 2 (the input of layer 2); without layer 1 that depth is the input of new layer 1.
        PruningPlan plan = PruningPlan.empty().withLayers(Map.of(MoeStack.THINKER, List.of(0, 2, 3)));

        assertThat(problems(plan, checkpoint(true))).isEmpty();
    }

    @Test
    void namesStaleConfigEdits() throws Exception {
        PruningPlan plan = PruningPlan.empty().withLayers(Map.of(MoeStack.THINKER, List.of(0, 1, 3)))
                .withConfigEdits(new TreeMap<>(Map.of("/thinker_config/text_config/num_hidden_layers", IntNode.valueOf(4),
                        "/thinker_config/text_config/num_experts", IntNode.valueOf(2))));

        assertThat(problems(plan, checkpoint(true))).containsExactlyInAnyOrder(
                "configEdits /thinker_config/text_config/num_hidden_layers is stale: 4, the plan implies 3",
                "configEdits /thinker_config/text_config/num_experts is stale: the plan implies no change there");
    }
}
