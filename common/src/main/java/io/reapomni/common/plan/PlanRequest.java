package io.reapomni.common.plan;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reapomni.common.checkpoint.MoeStack;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a user asked for on the command line, before it is checked against a checkpoint.
 *
 * @param component  the stack that {@code experts} and {@code dropLayers} apply to
 * @param experts    the experts to keep, when experts are pruned
 * @param dropLayers layer ids of {@code component} to drop; empty to keep every layer
 * @param evidence   free-form data for the report
 */
public record PlanRequest(Set<Strip> strip, MoeStack component, Optional<ExpertChoice> experts,
                          List<Integer> dropLayers, ObjectNode evidence) {
    public PlanRequest {
        strip = strip.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(strip));
        dropLayers = List.copyOf(dropLayers);
        evidence = evidence.deepCopy();
    }
}
