package io.reapomni.common.plan;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/** Old ids to new ones for a list of kept ids: the i-th kept id becomes i. */
final class Renumbering {
    private final Map<Integer, Integer> newIds = new HashMap<>();

    Renumbering(List<Integer> kept) {
        for (int i = 0; i < kept.size(); i++) {
            newIds.put(kept.get(i), i);
        }
    }

    /** The new id of {@code oldId}; empty when it is not kept. */
    OptionalInt newId(int oldId) {
        Integer id = newIds.get(oldId);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }
}
