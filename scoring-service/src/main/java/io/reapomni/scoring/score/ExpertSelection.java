package io.reapomni.scoring.score;

import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/** Which experts of a layer stay: the top K by affinity. */
public final class ExpertSelection {
    private ExpertSelection() {
    }

    /** round(retention · experts), halves rounded up; the same K for every layer, as transformers requires. */
    public static int keptCount(double retentionRate, int experts) {
        return (int) Math.round(retentionRate * experts);
    }

    /**
     * The ids of the {@code kept} experts with the highest affinity, ascending (the new expert order). Ties go to
     * the lower id, so that equal scores (experts no token chose) give the same plan on every run.
     */
    public static List<Integer> top(double[] affinity, int kept) {
        if (kept < 0 || kept > affinity.length) {
            throw new IllegalArgumentException("cannot keep " + kept + " of " + affinity.length + " experts");
        }
        return IntStream.range(0, affinity.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(e -> affinity[e]).reversed()
                        .thenComparing(Comparator.naturalOrder()))
                .limit(kept)
                .sorted()
                .toList();
    }
}
