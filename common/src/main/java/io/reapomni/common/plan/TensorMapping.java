package io.reapomni.common.plan;

import io.reapomni.common.checkpoint.CheckpointException;
import io.reapomni.common.checkpoint.LayerTensor;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.checkpoint.Qwen3OmniLayout;
import io.reapomni.common.checkpoint.TensorName;
import io.reapomni.common.checkpoint.UnsupportedLayoutException;
import io.reapomni.common.safetensors.TensorInfo;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * The rewrite of every source tensor under a plan, in source order: dropped, kept under its own or a new name, or
 * (a pruned layer's router) cut to the kept expert rows. Kept layers are renumbered contiguously and kept experts
 * 0..K-1 in ascending old id; all other names stay as they are. Expects a plan that {@link PlanValidator} accepted.
 */
public record TensorMapping(List<TensorAction> actions) {
    public TensorMapping {
        actions = List.copyOf(actions);
    }

    public static TensorMapping of(List<TensorInfo> sourceTensors, PruningPlan plan) throws CheckpointException {
        Map<MoeStack, Renumbering> layers = new EnumMap<>(MoeStack.class);
        plan.layers().forEach((stack, kept) -> layers.put(stack, new Renumbering(kept)));
        Map<MoeStack, Map<Integer, Renumbering>> experts = new EnumMap<>(MoeStack.class);
        plan.experts().forEach((stack, perLayer) -> {
            Map<Integer, Renumbering> byLayer = new TreeMap<>();
            perLayer.forEach((layer, kept) -> byLayer.put(layer, new Renumbering(kept)));
            experts.put(stack, byLayer);
        });
        List<TensorAction> actions = new ArrayList<>(sourceTensors.size());
        for (TensorInfo tensor : sourceTensors) {
            TensorName name = Qwen3OmniLayout.classify(tensor.name());
            Optional<Strip> strip = plan.strip().stream()
                    .filter(modality -> modality.components().contains(name.component())).findFirst();
            if (strip.isPresent()) {
                actions.add(new TensorAction.Drop(tensor.name(), name.component().id() + " stripped (strip "
                        + strip.get().id() + ")"));
            } else if (name.layerTensor().isPresent()) {
                actions.add(layerAction(tensor, name.layerTensor().get(), layers, experts, plan));
            } else {
                actions.add(new TensorAction.Keep(tensor.name(), tensor.name(), tensor.shape()));
            }
        }
        return new TensorMapping(actions);
    }

    private static TensorAction layerAction(TensorInfo tensor, LayerTensor layer, Map<MoeStack, Renumbering> layers,
                                            Map<MoeStack, Map<Integer, Renumbering>> experts, PruningPlan plan)
            throws UnsupportedLayoutException {
        String where = layer.stack().id() + " layer " + layer.layer();
        OptionalInt newLayer = layers.containsKey(layer.stack())
                ? layers.get(layer.stack()).newId(layer.layer()) : OptionalInt.of(layer.layer());
        if (newLayer.isEmpty()) {
            return new TensorAction.Drop(tensor.name(), where + " dropped");
        }
        Renumbering expertIds = experts.getOrDefault(layer.stack(), Map.of()).get(layer.layer());
        if (expertIds == null) {
            return new TensorAction.Keep(tensor.name(), layer.renamed(newLayer.getAsInt()), tensor.shape());
        }
        switch (layer.kind()) {
            case EXPERT -> {
                OptionalInt newExpert = expertIds.newId(layer.expert().getAsInt());
                return newExpert.isEmpty()
                        ? new TensorAction.Drop(tensor.name(), "expert " + layer.expert().getAsInt() + " of " + where + " pruned")
                        : new TensorAction.Keep(tensor.name(), layer.renamed(newLayer.getAsInt(), newExpert), tensor.shape());
            }
            case ROUTER -> {
                List<Integer> rows = plan.experts().get(layer.stack()).get(layer.layer());
                List<Long> shape = new ArrayList<>(tensor.shape());
                shape.set(0, (long) rows.size());
                return new TensorAction.SliceRows(tensor.name(), layer.renamed(newLayer.getAsInt()), rows, shape);
            }
            case FUSED_EXPERTS -> throw new UnsupportedLayoutException("cannot prune experts of " + where + ": "
                    + tensor.name() + " holds the experts fused, and reap-omni prunes only the one-tensor-per-expert"
                    + " layout that transformers' save_pretrained writes (...mlp.experts.E.{gate,up,down}_proj.weight)");
            default -> {
                return new TensorAction.Keep(tensor.name(), layer.renamed(newLayer.getAsInt()), tensor.shape());
            }
        }
    }

    /** The actions that write a tensor (kept or sliced), in source order. */
    public List<TensorAction> written() {
        return actions.stream().filter(action -> !(action instanceof TensorAction.Drop)).toList();
    }
}
