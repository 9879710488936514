package io.reapomni.common.plan;

import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.checkpoint.TestCheckpoints;
import io.reapomni.common.checkpoint.UnsupportedLayoutException;
import io.reapomni.common.safetensors.TensorInfo;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TensorMappingTest {

    private static PruningPlan build(Checkpoint checkpoint, Set<Strip> strip, Optional<ExpertChoice> experts,
                                     List<Integer> drop) throws PlanException {
        return PlanBuilder.build(checkpoint, new PlanDraft(strip, MoeStack.THINKER, experts, drop,
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode())).plan();
    }

    private static Map<String, TensorAction> bySource(TensorMapping mapping) {
        return mapping.actions().stream().collect(Collectors.toMap(TensorAction::sourceName, Function.identity()));
    }

    @Test
    void stripsVisionAndTheSpeechPathAndKeepsTheRestUnderItsName() throws Exception {
        Checkpoint checkpoint = TestCheckpoints.fixture();
        PruningPlan plan = build(checkpoint, Set.of(Strip.VISION, Strip.TALKER), Optional.empty(), List.of());

        TensorMapping mapping = TensorMapping.of(checkpoint.tensorInfos(), plan);

        assertThat(mapping.actions()).hasSize(1211);
        assertThat(mapping.actions()).filteredOn(action -> action instanceof TensorAction.Drop).hasSize(45 + 823 + 97);
        assertThat(mapping.written()).hasSize(45 + 201)
                .allSatisfy(action -> assertThat(((TensorAction.Keep) action).renamed()).isFalse());
        assertThat(bySource(mapping).get("thinker.visual.merger_list.1.ln_q.weight"))
                .isInstanceOf(TensorAction.Drop.class);
        assertThat(bySource(mapping).get("code2wav.code_embedding.weight")).isInstanceOf(TensorAction.Drop.class);
    }

    @Test
    void prunesExpertsRenumbersThemAndSlicesTheRouter() throws Exception {
        Checkpoint checkpoint = TestCheckpoints.fixture();
        PruningPlan plan = build(checkpoint, Set.of(),
                Optional.of(new ExpertChoice.SameForEveryLayer(List.of(0, 2, 4, 6))), List.of());

        Map<String, TensorAction> actions = bySource(TensorMapping.of(checkpoint.tensorInfos(), plan));

        assertThat(actions.get("thinker.model.layers.5.mlp.experts.6.up_proj.weight")).isEqualTo(new TensorAction.Keep(
                "thinker.model.layers.5.mlp.experts.6.up_proj.weight", "thinker.model.layers.5.mlp.experts.3.up_proj.weight",
                List.of(32L, 64L)));
        assertThat(actions.get("thinker.model.layers.5.mlp.experts.5.up_proj.weight")).isInstanceOf(TensorAction.Drop.class);
        assertThat(actions.get("thinker.model.layers.2.mlp.gate.weight")).isEqualTo(new TensorAction.SliceRows(
                "thinker.model.layers.2.mlp.gate.weight", "thinker.model.layers.2.mlp.gate.weight",
                List.of(0, 2, 4, 6), List.of(4L, 64L)));
        assertThat(actions.get("talker.model.layers.0.mlp.experts.100.up_proj.weight")).isInstanceOf(TensorAction.Keep.class);
    }

    @Test
    void dropsLayersAndRenumbersTheKeptOnesContiguously() throws Exception {
        Checkpoint checkpoint = TestCheckpoints.fixture();
        PruningPlan plan = build(checkpoint, Set.of(Strip.TALKER), Optional.empty(), List.of(2, 4));

        Map<String, TensorAction> actions = bySource(TensorMapping.of(checkpoint.tensorInfos(), plan));

        assertThat(actions.get("thinker.model.layers.2.self_attn.q_proj.weight"))
                .isEqualTo(new TensorAction.Drop("thinker.model.layers.2.self_attn.q_proj.weight", "thinker layer 2 dropped"));
        assertThat(((TensorAction.Keep) actions.get("thinker.model.layers.3.self_attn.q_proj.weight")).targetName())
                .isEqualTo("thinker.model.layers.2.self_attn.q_proj.weight");
        assertThat(((TensorAction.Keep) actions.get("thinker.model.layers.5.mlp.experts.7.down_proj.weight")).targetName())
                .isEqualTo("thinker.model.layers.3.mlp.experts.7.down_proj.weight");
        assertThat(((TensorAction.Keep) actions.get("thinker.model.norm.weight")).targetName()).isEqualTo("thinker.model.norm.weight");
    }

    @Test
    void combinesStripExpertPruningAndLayerDrops() throws Exception {
        Checkpoint checkpoint = TestCheckpoints.fixture();
        PruningPlan plan = build(checkpoint, Set.of(Strip.VISION, Strip.TALKER),
                Optional.of(new ExpertChoice.SameForEveryLayer(List.of(0, 2, 4, 6))), List.of(2, 4));

        TensorMapping mapping = TensorMapping.of(checkpoint.tensorInfos(), plan);
        Map<String, TensorAction> actions = bySource(mapping);

        assertThat(((TensorAction.Keep) actions.get("thinker.model.layers.5.mlp.experts.6.up_proj.weight")).targetName())
                .isEqualTo("thinker.model.layers.3.mlp.experts.3.up_proj.weight");
        assertThat(((TensorAction.SliceRows) actions.get("thinker.model.layers.3.mlp.gate.weight")).targetName())
                .isEqualTo("thinker.model.layers.2.mlp.gate.weight");
        // 4 kept layers × (4 experts × 3 projections + router + 8 attention and norm tensors), plus the rest of the thinker.
        long thinkerLayerTensors = mapping.written().stream()
                .filter(action -> action.sourceName().startsWith("thinker.model.layers.")).count();
        assertThat(thinkerLayerTensors).isEqualTo(4 * (12 + 1 + 8));
        assertThat(mapping.written()).hasSize(4 * 21 + 45 + 3);
        PlanEffect effect = PlanEffect.of(checkpoint, plan);
        assertThat(effect.sliced()).isEqualTo(4);
        assertThat(effect.removed()).isEqualTo(1211 - mapping.written().size());
        assertThat(effect.layersRemoved()).containsEntry(MoeStack.THINKER, List.of(2, 4));
    }

    @Test
    void refusesToPruneFusedExperts() {
        List<TensorInfo> tensors = TestCheckpoints.tensors(List.of("thinker.model.layers.0.mlp.experts.gate_up_proj"), 4);
        PruningPlan plan = PruningPlan.empty().withExperts(Map.of(MoeStack.THINKER,
                new java.util.TreeMap<>(Map.of(0, List.of(0, 1)))));

        assertThatThrownBy(() -> TensorMapping.of(tensors, plan)).isInstanceOf(UnsupportedLayoutException.class)
                .hasMessageContaining("thinker.model.layers.0.mlp.experts.gate_up_proj holds the experts fused");
    }

    @Test
    void keepsTheTalkersSharedExpertsWhenItsExpertsArePruned() throws IOException, Exception {
        Checkpoint checkpoint = TestCheckpoints.fixture();
        PruningPlan plan = PlanBuilder.build(checkpoint, new PlanDraft(Set.of(), MoeStack.TALKER,
                Optional.of(new ExpertChoice.SameForEveryLayer(List.of(1, 5, 9, 127))), List.of(),
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode())).plan();

        Map<String, TensorAction> actions = bySource(TensorMapping.of(checkpoint.tensorInfos(), plan));

        assertThat(actions.get("talker.model.layers.1.mlp.shared_expert.up_proj.weight")).isInstanceOf(TensorAction.Keep.class);
        assertThat(actions.get("talker.model.layers.1.mlp.shared_expert_gate.weight")).isInstanceOf(TensorAction.Keep.class);
        assertThat(((TensorAction.Keep) actions.get("talker.model.layers.1.mlp.experts.127.gate_proj.weight")).targetName())
                .isEqualTo("talker.model.layers.1.mlp.experts.3.gate_proj.weight");
        assertThat(plan.configEdits()).containsEntry("/talker_config/text_config/num_local_experts",
                com.fasterxml.jackson.databind.node.IntNode.valueOf(4));
    }
}
