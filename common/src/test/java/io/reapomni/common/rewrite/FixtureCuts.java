package io.reapomni.common.rewrite;

import io.reapomni.common.plan.Strip;

import java.util.List;
import java.util.Set;

/** The cuts that tests make of the tiny fixture (a thinker of 6 layers × 8 experts, top-2). */
public final class FixtureCuts {
    public static final int LAYERS = 6;

    public static final Cut STRIP_VISION = Cut.sameExperts("strip vision", Set.of(Strip.VISION), List.of(), List.of(), LAYERS);
    public static final Cut STRIP_TALKER = Cut.sameExperts("strip talker", Set.of(Strip.TALKER), List.of(), List.of(), LAYERS);
    public static final Cut KEEP_EVEN_EXPERTS = Cut.sameExperts("keep experts 0,2,4,6", Set.of(), List.of(),
            List.of(0, 2, 4, 6), LAYERS);
    public static final Cut DROP_LAYERS = Cut.sameExperts("drop layers 2,4", Set.of(), List.of(2, 4), List.of(), LAYERS);
    /** {@code --strip-vision --keep-experts 0,2,4,6 --prune-layers 2 4}, the README's example. */
    public static final Cut README_EXAMPLE = Cut.sameExperts("strip vision, keep experts 0,2,4,6, drop layers 2,4",
            Set.of(Strip.VISION), List.of(2, 4), List.of(0, 2, 4, 6), LAYERS);
    public static final Cut EVERYTHING = Cut.sameExperts("strip vision and talker, keep experts 1,3,5,7, drop layers 0,5",
            Set.of(Strip.VISION, Strip.TALKER), List.of(0, 5), List.of(1, 3, 5, 7), LAYERS);

    private FixtureCuts() {
    }

    /** Keeping the same experts in every layer. */
    public static Cut keepExperts(Integer... experts) {
        return Cut.sameExperts("keep experts " + List.of(experts), Set.of(), List.of(), List.of(experts), LAYERS);
    }

    public static Cut dropLayers(Integer... layers) {
        return Cut.sameExperts("drop layers " + List.of(layers), Set.of(), List.of(layers), List.of(), LAYERS);
    }
}
