package io.reapomni.common.rewrite;

import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.checkpoint.CheckpointException;
import io.reapomni.common.checkpoint.Component;
import io.reapomni.common.checkpoint.ComponentSize;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.checkpoint.StackConfig;
import io.reapomni.common.plan.PlanEffect;
import io.reapomni.common.plan.PlanJson;
import io.reapomni.common.plan.PruningPlan;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.stream.IntStream;

/** Builds the report of a rewrite from the checkpoint, the plan, what the plan does to it and the written shards. */
final class RewriteReports {
    private RewriteReports() {
    }

    static RewriteReport of(String jobId, Checkpoint source, String sourceLocation, String outputLocation,
                            PruningPlan plan, List<ShardPlan> shards, TransferStats transfer) throws CheckpointException {
        PlanEffect effect = PlanEffect.of(source, plan);
        List<RewriteReport.ComponentRow> components = new ArrayList<>();
        for (Component component : Component.values()) {
            ComponentSize before = effect.before().getOrDefault(component, ComponentSize.ZERO);
            ComponentSize after = effect.after().getOrDefault(component, ComponentSize.ZERO);
            if (before.parameters() > 0 || after.parameters() > 0) {
                components.add(new RewriteReport.ComponentRow(component.id(), before.parameters(), after.parameters(),
                        before.bytes(), after.bytes()));
            }
        }
        List<RewriteReport.StackRow> stacks = new ArrayList<>();
        for (MoeStack stack : source.inventory().stacks().keySet()) {
            boolean stripped = plan.strip().stream().anyMatch(strip -> strip.components().contains(
                    stack == MoeStack.THINKER ? Component.THINKER_TEXT : Component.TALKER));
            if (!stripped) {
                stacks.add(stackRow(source.config().stack(stack), plan, effect));
            }
        }
        List<RewriteReport.ShardRow> shardRows = shards.stream()
                .map(shard -> new RewriteReport.ShardRow(shard.targetKey(), shard.sourceKey(), shard.tensors().size(),
                        shard.dataLength()))
                .toList();
        return new RewriteReport(RewriteReport.SCHEMA_VERSION, jobId, sourceLocation, outputLocation, components,
                stacks, new RewriteReport.TensorCounts(effect.removed(), effect.kept(), effect.renamed(), effect.sliced()),
                shardRows, transfer, PlanJson.toTree(plan), Optional.empty());
    }

    private static RewriteReport.StackRow stackRow(StackConfig config, PruningPlan plan, PlanEffect effect) {
        MoeStack stack = config.stack();
        List<Integer> kept = plan.keptLayersOf(stack)
                .orElse(IntStream.range(0, config.numHiddenLayers()).boxed().toList());
        List<RewriteReport.LayerExperts> experts = new ArrayList<>();
        int expertsAfter = config.numExperts();
        SortedMap<Integer, List<Integer>> perLayer = plan.expertsOf(stack).orElse(null);
        if (perLayer != null) {
            for (var entry : perLayer.entrySet()) {
                List<Integer> dropped = IntStream.range(0, config.numExperts())
                        .filter(expert -> !entry.getValue().contains(expert)).boxed().toList();
                experts.add(new RewriteReport.LayerExperts(entry.getKey(), kept.indexOf(entry.getKey()),
                        entry.getValue(), dropped));
                expertsAfter = entry.getValue().size();
            }
        }
        return new RewriteReport.StackRow(stack.id(), config.numHiddenLayers(), kept.size(),
                effect.layersRemoved().getOrDefault(stack, List.of()), config.numExperts(), expertsAfter, experts);
    }
}
