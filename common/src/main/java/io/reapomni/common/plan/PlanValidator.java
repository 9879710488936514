package io.reapomni.common.plan;

import com.fasterxml.jackson.databind.JsonNode;
import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.checkpoint.CheckpointException;
import io.reapomni.common.checkpoint.CheckpointInventory;
import io.reapomni.common.checkpoint.ModelConfig;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.checkpoint.StackConfig;
import io.reapomni.common.checkpoint.StackInventory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * Checks a plan against the checkpoint it is for, before anything is written, and reports every problem at once. The
 * one way to a {@link ValidatedPlan}: the config edits the plan implies are derived here, once, and kept with it.
 */
public final class PlanValidator {
    private PlanValidator() {
    }

    /**
     * The plan checked against {@code checkpoint}, with the config edits it implies.
     *
     * @throws PlanException listing every way in which it does not fit
     */
    public static ValidatedPlan validate(PruningPlan plan, Checkpoint checkpoint) throws PlanException {
        Outcome outcome = check(plan, checkpoint.config(), checkpoint.inventory());
        if (!outcome.problems().isEmpty()) {
            throw new PlanException("the plan does not fit the checkpoint", outcome.problems());
        }
        return new ValidatedPlan(plan, outcome.edits(), checkpoint);
    }

    /** Every way in which {@code plan} does not fit a checkpoint with this config and these tensors. */
    static List<String> problems(PruningPlan plan, ModelConfig config, CheckpointInventory inventory) {
        return check(plan, config, inventory).problems();
    }

    /** The problems found, and the config edits the plan implies when there are none. */
    private record Outcome(List<String> problems, ConfigEdits edits) {
    }

    private static Outcome check(PruningPlan plan, ModelConfig config, CheckpointInventory inventory) {
        List<String> problems = new ArrayList<>();
        for (Strip strip : plan.strip()) {
            if (strip.components().stream().noneMatch(inventory::has)) {
                problems.add("strip " + strip.id() + ": the checkpoint has no " + strip.id() + " tensors");
            }
        }
        plan.layers().forEach((stack, kept) -> {
            if (stackUsable("layers", stack, plan, inventory, problems)) {
                checkLayers(stack, kept, stackConfig(config, stack), inventory.stacks().get(stack), problems);
            }
        });
        plan.experts().forEach((stack, perLayer) -> {
            if (stackUsable("experts", stack, plan, inventory, problems)) {
                checkExperts(plan, stack, perLayer, stackConfig(config, stack), inventory.stacks().get(stack), problems);
            }
        });
        if (plan.layers().containsKey(MoeStack.THINKER) && ConfigEdits.talkerReadsThinker(config, plan)) {
            int hiddenState = config.talkerAcceptHiddenLayer();
            int layerCount = stackConfig(config, MoeStack.THINKER).numHiddenLayers();
            if (ConfigEdits.remapHiddenState(hiddenState, plan.layers().get(MoeStack.THINKER), layerCount).isEmpty()) {
                problems.add(ConfigEdits.acceptHiddenLayerBroken(hiddenState, layerCount));
            }
        }
        if (!problems.isEmpty()) {
            return new Outcome(problems, null);
        }
        ConfigEdits implied;
        try {
            implied = ConfigEdits.derive(config, plan);
        } catch (CheckpointException e) {
            return new Outcome(List.of("the plan's config edits cannot be made: " + e.getMessage()), null);
        }
        if (!plan.configEdits().isEmpty()) {
            checkWrittenEdits(plan.configEdits(), implied.edits(), problems);
        }
        return new Outcome(problems, implied);
    }

    private static StackConfig stackConfig(ModelConfig config, MoeStack stack) {
        try {
            return config.stack(stack);
        } catch (CheckpointException e) {
            throw new IllegalStateException("a checkpoint with " + stack.id() + " layers has a usable stack config", e);
        }
    }

    private static boolean stackUsable(String field, MoeStack stack, PruningPlan plan, CheckpointInventory inventory,
                                       List<String> problems) {
        if (stack == MoeStack.TALKER && plan.strips(Strip.TALKER)) {
            problems.add(field + ".talker: the plan strips the talker, so it cannot also prune it");
            return false;
        }
        if (!inventory.stacks().containsKey(stack)) {
            problems.add(field + "." + stack.id() + ": the checkpoint has no " + stack.id() + " decoder layers");
            return false;
        }
        return true;
    }

    private static void checkLayers(MoeStack stack, List<Integer> kept, StackConfig config, StackInventory present,
                                    List<String> problems) {
        String field = "layers." + stack.id();
        checkIds(field, "layer", kept, config.numHiddenLayers(), problems);
        kept.stream().filter(layer -> layer >= 0 && layer < config.numHiddenLayers())
                .filter(layer -> !present.layers().containsKey(layer))
                .forEach(layer -> problems.add(field + ": layer " + layer + " is not in the checkpoint"));
        if (kept.isEmpty()) {
            problems.add(field + " keeps no layer: a decoder needs at least one");
        }
    }

    private static void checkExperts(PruningPlan plan, MoeStack stack, SortedMap<Integer, List<Integer>> perLayer,
                                     StackConfig config, StackInventory present, List<String> problems) {
        String field = "experts." + stack.id();
        if (present.hasFusedExperts()) {
            problems.add(field + ": the checkpoint stores " + stack.id() + " experts fused, not one tensor per expert;"
                    + " reap-omni cannot prune that layout");
            return;
        }
        List<Integer> keptLayers = plan.keptLayersOf(stack).orElse(List.copyOf(present.layers().keySet()));
        for (int layer : keptLayers) {
            if (config.isMoeLayer(layer) && !perLayer.containsKey(layer)) {
                problems.add(field + ": MoE layer " + layer + " is kept but has no entry (every kept MoE layer needs one)");
            }
        }
        Set<Integer> sizes = new TreeSet<>();
        perLayer.forEach((layer, ids) -> {
            String where = field + "." + layer;
            if (!present.layers().containsKey(layer)) {
                problems.add(where + ": layer " + layer + " is not in the checkpoint (layers 0.." + (config.numHiddenLayers() - 1) + ")");
                return;
            }
            if (!keptLayers.contains(layer)) {
                problems.add(where + ": layer " + layer + " is dropped by layers." + stack.id() + ", so it has no experts to keep");
                return;
            }
            if (!config.isMoeLayer(layer)) {
                problems.add(where + ": layer " + layer + " is a dense (mlp_only) layer and has no experts");
                return;
            }
            checkIds(where, "expert", ids, config.numExperts(), problems);
            if (ids.isEmpty()) {
                problems.add(where + " keeps no expert");
            } else if (ids.size() < config.numExpertsPerTok()) {
                problems.add(where + " keeps " + ids.size() + " experts, fewer than num_experts_per_tok ("
                        + config.numExpertsPerTok() + ") routes to");
            }
            sizes.add(ids.size());
        });
        if (sizes.size() > 1) {
            problems.add(field + " keeps " + sizes + " experts in different layers; transformers allows one "
                    + config.numExpertsKey() + " per stack, so every layer must keep the same number");
        }
    }

    /** Ids must be distinct, ascending (the new order is the old order) and within 0..bound-1. */
    private static void checkIds(String field, String what, List<Integer> ids, int bound, List<String> problems) {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            int id = ids.get(i);
            if (id < 0 || id >= bound) {
                problems.add(field + ": " + what + " " + id + " is out of range 0.." + (bound - 1));
            }
            if (!seen.add(id)) {
                problems.add(field + ": " + what + " " + id + " is listed twice");
            } else if (i > 0 && id < ids.get(i - 1)) {
                problems.add(field + ": " + what + " ids must be ascending, but " + id + " follows " + ids.get(i - 1));
            }
        }
    }

    /** A plan that states its config edits must state exactly those it implies: others are stale. */
    private static void checkWrittenEdits(Map<String, JsonNode> written, Map<String, JsonNode> implied,
                                          List<String> problems) {
        implied.forEach((pointer, value) -> {
            if (!written.containsKey(pointer)) {
                problems.add("configEdits lacks " + pointer + " (the plan implies " + value + ")");
            } else if (!written.get(pointer).equals(value)) {
                problems.add("configEdits " + pointer + " is stale: " + written.get(pointer) + ", the plan implies " + value);
            }
        });
        written.keySet().stream().filter(pointer -> !implied.containsKey(pointer))
                .forEach(pointer -> problems.add("configEdits " + pointer + " is stale: the plan implies no change there"));
    }
}
