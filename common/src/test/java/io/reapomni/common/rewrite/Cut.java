package io.reapomni.common.rewrite;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.plan.ExpertChoice;
import io.reapomni.common.plan.PlanDraft;
import io.reapomni.common.plan.Strip;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a test asks to cut out of a model's thinker, stated plainly so that the expected output can be derived from
 * it without the code under test.
 *
 * @param strip         modalities removed whole
 * @param droppedLayers thinker layers removed (old ids)
 * @param keptExperts   old thinker layer id → kept expert ids, ascending, for every layer that is kept; empty when
 *                      experts are not pruned
 */
public record Cut(String name, Set<Strip> strip, List<Integer> droppedLayers, SortedMap<Integer, List<Integer>> keptExperts) {

    public Cut {
        strip = Set.copyOf(strip);
        droppedLayers = List.copyOf(droppedLayers);
        SortedMap<Integer, List<Integer>> copy = new TreeMap<>();
        keptExperts.forEach((layer, ids) -> copy.put(layer, List.copyOf(ids)));
        keptExperts = copy;
    }

    /** The same experts kept in every layer of a thinker of {@code layers} layers, except dropped ones. */
    public static Cut sameExperts(String name, Set<Strip> strip, List<Integer> droppedLayers, List<Integer> experts,
                                  int layers) {
        SortedMap<Integer, List<Integer>> perLayer = new TreeMap<>();
        if (!experts.isEmpty()) {
            for (int layer = 0; layer < layers; layer++) {
                if (!droppedLayers.contains(layer)) {
                    perLayer.put(layer, experts);
                }
            }
        }
        return new Cut(name, strip, droppedLayers, perLayer);
    }

    public boolean prunesExperts() {
        return !keptExperts.isEmpty();
    }

    /** Kept experts per layer (the same in every layer: transformers allows one count per stack). */
    public int keptExpertCount() {
        return keptExperts.values().iterator().next().size();
    }

    /** The request that asks for this cut, as a user of the plan builder would make it. */
    public PlanDraft request() {
        Optional<ExpertChoice> experts = prunesExperts()
                ? Optional.of(new ExpertChoice.PerLayer(keptExperts)) : Optional.empty();
        return new PlanDraft(strip, MoeStack.THINKER, experts, droppedLayers, JsonNodeFactory.instance.objectNode());
    }

    @Override
    public String toString() {
        return name;
    }
}
