package io.reapomni.cli.describe;

import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.checkpoint.CheckpointException;
import io.reapomni.common.checkpoint.Component;
import io.reapomni.common.checkpoint.ComponentSize;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.format.Units;
import io.reapomni.common.plan.PlanEffect;
import io.reapomni.common.plan.PruningPlan;
import io.reapomni.common.plan.Strip;
import io.reapomni.common.plan.TensorAction;
import io.reapomni.common.plan.TensorMapping;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Collectors;

/** What a plan does to a checkpoint, as {@code inspect} and {@code prune --dry-run} print it. */
public final class PlanDescription {
    private PlanDescription() {
    }

    public static void print(PrintWriter out, Checkpoint checkpoint, PruningPlan plan, PlanEffect effect, boolean verbose)
            throws CheckpointException {
        out.println("Plan");
        if (!plan.strip().isEmpty()) {
            out.println("  strip     " + plan.strip().stream().map(Strip::id).collect(Collectors.joining(", ")));
        }
        for (Map.Entry<MoeStack, List<Integer>> removed : effect.layersRemoved().entrySet()) {
            out.printf("  %-9s drops layers %s; %d layers remain%n", removed.getKey().id(), ids(removed.getValue()),
                    checkpoint.config().stack(removed.getKey()).numHiddenLayers() - removed.getValue().size());
        }
        for (Map.Entry<MoeStack, SortedMap<Integer, List<Integer>>> experts : effect.expertsKept().entrySet()) {
            Map<List<Integer>, List<Integer>> layersByChoice = experts.getValue().entrySet().stream()
                    .collect(Collectors.groupingBy(Map.Entry::getValue, java.util.LinkedHashMap::new,
                            Collectors.mapping(Map.Entry::getKey, Collectors.toList())));
            layersByChoice.forEach((kept, layers) -> out.printf("  %-9s keeps experts %s in layers %s%n",
                    experts.getKey().id(), ids(kept), ids(layers)));
        }
        plan.configEdits().forEach((pointer, value) -> out.printf("  config    %s = %s%n", pointer, value));
        out.printf("  tensors   %d removed, %d kept, %d renumbered, %d routers sliced%n", effect.removed(),
                effect.kept(), effect.renamed(), effect.sliced());

        out.printf("%n  %-14s %12s %12s %12s %12s %8s%n", "component", "params", "→ params", "size", "→ size", "change");
        long before = 0;
        for (Map.Entry<Component, ComponentSize> entry : effect.before().entrySet()) {
            ComponentSize after = effect.after().getOrDefault(entry.getKey(), ComponentSize.ZERO);
            before += entry.getValue().bytes();
            out.printf("  %-14s %12s %12s %12s %12s %8s%n", entry.getKey().id(),
                    Units.count(entry.getValue().parameters()), Units.count(after.parameters()),
                    Units.bytes(entry.getValue().bytes()), Units.bytes(after.bytes()),
                    Units.change(entry.getValue().bytes(), after.bytes()));
        }
        out.printf("  output weighs %s (%s of tensors, %s)%n", Units.bytes(effect.outputBytes()),
                Units.bytes(before), Units.change(before, effect.outputBytes()));
        if (verbose) {
            out.printf("%n  Tensors%n");
            for (TensorAction action : TensorMapping.of(checkpoint.tensorInfos(), plan).actions()) {
                if (action instanceof TensorAction.Drop drop) {
                    out.println("    - " + drop.sourceName() + "  (" + drop.reason() + ")");
                } else if (action instanceof TensorAction.SliceRows slice) {
                    out.println("    / " + slice.sourceName() + " → " + slice.targetName() + "  rows " + ids(slice.rows()));
                } else if (action instanceof TensorAction.Keep keep && keep.renamed()) {
                    out.println("    ~ " + keep.sourceName() + " → " + keep.targetName());
                }
            }
        }
    }

    static String ids(List<Integer> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
