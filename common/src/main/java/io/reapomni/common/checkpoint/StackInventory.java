package io.reapomni.common.checkpoint;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/** The decoder layers of one stack that a checkpoint holds, by layer id. */
public record StackInventory(MoeStack stack, SortedMap<Integer, LayerInventory> layers) {
    public StackInventory {
        layers = Collections.unmodifiableSortedMap(new TreeMap<>(layers));
    }

    /** Whether any layer stores its experts in a layout that expert pruning cannot slice. */
    public boolean hasFusedExperts() {
        return layers.values().stream().anyMatch(LayerInventory::fusedExperts);
    }
}
