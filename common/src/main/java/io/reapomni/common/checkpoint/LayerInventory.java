package io.reapomni.common.checkpoint;

import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What one decoder layer holds.
 *
 * @param experts      routed expert ids that have per-expert tensors
 * @param fusedExperts whether the layer stores experts in another layout (see {@link LayerTensorKind#FUSED_EXPERTS})
 * @param routerShape  the shape of {@code mlp.gate.weight}, when the layer has a router
 */
public record LayerInventory(int layer, SortedSet<Integer> experts, boolean fusedExperts, Optional<List<Long>> routerShape) {
    public LayerInventory {
        experts = Collections.unmodifiableSortedSet(new TreeSet<>(experts));
        routerShape = routerShape.map(List::copyOf);
    }
}
