package io.reapomni.common.plan;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reapomni.common.checkpoint.MoeStack;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A plan's content before it is checked against a checkpoint: the strips, the stack whose experts and layers are cut,
 * the experts chosen (listed, or scored by REAP) and the layers to drop. {@link PlanBuilder} checks it against a
 * checkpoint and turns it into a {@link PruningPlan}. Not a user's request: that is a {@code PruneRequest}, whose
 * {@code PlanChoices} become a draft once calibration and scoring have chosen what they choose.
 *
 * @param component  the stack that {@code experts} and {@code dropLayers} apply to
 * @param experts    the experts to keep, when experts are pruned
 * @param dropLayers layer ids of {@code component} to drop; empty to keep every layer
 * @param evidence   free-form data for the report
 */
public record PlanDraft(Set<Strip> strip, MoeStack component, Optional<ExpertChoice> experts,
                          List<Integer> dropLayers, ObjectNode evidence) {
    public PlanDraft {
        strip = strip.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(strip));
        dropLayers = List.copyOf(dropLayers);
        evidence = evidence.deepCopy();
    }
}
