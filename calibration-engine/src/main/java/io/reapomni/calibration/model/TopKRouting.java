package io.reapomni.calibration.model;

/**
 * The experts each token goes to and with what weight: top-k of the float32 softmax over all experts, optionally
 * divided by the top-k sum. Done on the host because the result drives both the dispatch and the statistics.
 *
 * @param experts [tokens * topK] in descending probability; ties go to the lower expert id
 * @param weights [tokens * topK]
 */
public record TopKRouting(int tokens, int topK, int[] experts, float[] weights) {

    public static TopKRouting select(float[] probabilities, int tokens, int numExperts, int topK,
                                     boolean renormalise) {
        if (topK > numExperts) {
            throw new IllegalArgumentException("top-" + topK + " of " + numExperts + " experts");
        }
        int[] experts = new int[tokens * topK];
        float[] weights = new float[tokens * topK];
        for (int token = 0; token < tokens; token++) {
            int row = token * numExperts;
            boolean[] taken = new boolean[numExperts];
            float sum = 0f;
            for (int slot = 0; slot < topK; slot++) {
                int best = -1;
                for (int expert = 0; expert < numExperts; expert++) {
                    if (!taken[expert] && (best < 0 || probabilities[row + expert] > probabilities[row + best])) {
                        best = expert;
                    }
                }
                taken[best] = true;
                experts[token * topK + slot] = best;
                weights[token * topK + slot] = probabilities[row + best];
                sum += probabilities[row + best];
            }
            if (renormalise) {
                for (int slot = 0; slot < topK; slot++) {
                    weights[token * topK + slot] /= sum;
                }
            }
        }
        return new TopKRouting(tokens, topK, experts, weights);
    }

    public int expert(int token, int slot) {
        return experts[token * topK + slot];
    }

    public float weight(int token, int slot) {
        return weights[token * topK + slot];
    }
}
