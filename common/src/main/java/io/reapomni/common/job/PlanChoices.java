package io.reapomni.common.job;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.plan.ExpertChoice;
import io.reapomni.common.plan.PlanBuilder;
import io.reapomni.common.plan.PlanDraft;
import io.reapomni.common.plan.PlanException;
import io.reapomni.common.plan.PlanValidator;
import io.reapomni.common.plan.PruningPlan;
import io.reapomni.common.plan.Strip;
import io.reapomni.common.plan.ValidatedPlan;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The static choices of a {@link PruneRequest} (strips, listed experts and layers) or a whole saved plan: what the
 * user chose by name, as opposed to what calibration scores; checked for
 * consistency on construction, and against a model by {@link #plan}.
 *
 * @param keepExperts the same kept expert ids in every MoE layer of {@code component}; empty when not given
 * @param expertPlan  kept expert ids per layer of {@code component}; empty when not given
 * @param pruneLayers layer ids of {@code component} to drop
 * @param savedPlan   a saved plan to execute as it is, instead of the other choices
 */
public record PlanChoices(
        Set<Strip> strip,
        MoeStack component,
        List<Integer> keepExperts,
        SortedMap<Integer, List<Integer>> expertPlan,
        List<Integer> pruneLayers,
        Optional<PruningPlan> savedPlan) {

    public PlanChoices {
        strip = strip.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(strip));
        keepExperts = List.copyOf(keepExperts);
        SortedMap<Integer, List<Integer>> copy = new TreeMap<>();
        expertPlan.forEach((layer, ids) -> copy.put(layer, List.copyOf(ids)));
        expertPlan = Collections.unmodifiableSortedMap(copy);
        pruneLayers = List.copyOf(pruneLayers);
        List<String> problems = new ArrayList<>();
        if (!keepExperts.isEmpty() && !expertPlan.isEmpty()) {
            problems.add("give either kept experts for every layer (--keep-experts) or per layer (--expert-plan), not both");
        }
        if (savedPlan.isPresent() && !isEmptyApartFromPlan(strip, keepExperts, expertPlan, pruneLayers)) {
            problems.add("a saved plan (--plan) is executed as it is: leave out --strip-*, --keep-experts,"
                    + " --expert-plan and --prune-layers, or edit the plan");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /** Whether nothing at all is chosen. Not a property: events carry the choices, and this follows from them. */
    @JsonIgnore
    public boolean isEmpty() {
        return savedPlan.isEmpty() && isEmptyApartFromPlan(strip, keepExperts, expertPlan, pruneLayers);
    }

    public boolean listsExperts() {
        return !keepExperts.isEmpty() || !expertPlan.isEmpty();
    }

    /** The plan these choices make for {@code checkpoint}, validated against it. */
    public ValidatedPlan plan(Checkpoint checkpoint) throws PlanException {
        if (savedPlan.isPresent()) {
            return PlanValidator.validate(savedPlan.get(), checkpoint);
        }
        Optional<ExpertChoice> experts = !keepExperts.isEmpty()
                ? Optional.of(new ExpertChoice.SameForEveryLayer(keepExperts))
                : expertPlan.isEmpty() ? Optional.empty() : Optional.of(new ExpertChoice.PerLayer(expertPlan));
        return PlanBuilder.build(checkpoint, new PlanDraft(strip, component, experts, pruneLayers,
                JsonNodeFactory.instance.objectNode()));
    }

    private static boolean isEmptyApartFromPlan(Set<Strip> strip, List<Integer> keepExperts,
                                                SortedMap<Integer, List<Integer>> expertPlan, List<Integer> pruneLayers) {
        return strip.isEmpty() && keepExperts.isEmpty() && expertPlan.isEmpty() && pruneLayers.isEmpty();
    }
}
