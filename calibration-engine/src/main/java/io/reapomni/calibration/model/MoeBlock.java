package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.reapomni.calibration.stats.RoutingTrace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The sparse MoE feed-forward: a linear router, top-k routing, and each expert computed only on the tokens routed
 * to it; the weighted expert outputs are summed per token.
 */
public record MoeBlock(Linear router, List<GatedMlp> experts, int topK, boolean normTopkProb) implements FeedForward {

    public MoeBlock {
        experts = List.copyOf(experts);
        if (router.outFeatures() != experts.size()) {
            throw new IllegalArgumentException("router scores " + router.outFeatures() + " experts, the layer has "
                    + experts.size());
        }
    }

    @Override
    public FeedForwardResult apply(NDArray x) {
        NDManager manager = x.getManager();
        int tokens = Math.toIntExact(x.getShape().get(0));
        long hidden = x.getShape().get(1);
        int numExperts = experts.size();

        NDArray logits = router.apply(x);
        float[] routerLogits = logits.toFloatArray();
        TopKRouting routing = TopKRouting.select(logits.softmax(-1).toFloatArray(), tokens, numExperts, topK,
                normTopkProb);

        float[] outputNorms = new float[tokens * topK];
        int[] rowOfAssignment = new int[tokens * topK];
        NDList weightedOutputs = new NDList();
        int nextRow = 0;
        for (int expert = 0; expert < numExperts; expert++) {
            List<Integer> assignments = assignmentsOf(routing, expert);
            if (assignments.isEmpty()) {
                continue;
            }
            long[] routedTokens = new long[assignments.size()];
            float[] routedWeights = new float[assignments.size()];
            for (int i = 0; i < assignments.size(); i++) {
                int assignment = assignments.get(i);
                routedTokens[i] = assignment / topK;
                routedWeights[i] = routing.weights()[assignment];
            }
            NDArray output = experts.get(expert).apply(x.get(manager.create(routedTokens)));
            float[] norms = output.norm(new int[] {1}).toFloatArray();
            for (int i = 0; i < assignments.size(); i++) {
                outputNorms[assignments.get(i)] = norms[i];
                rowOfAssignment[assignments.get(i)] = nextRow++;
            }
            weightedOutputs.add(output.mul(manager.create(routedWeights, new Shape(routedWeights.length, 1))));
        }

        NDArray perAssignment = NDArrays.concat(weightedOutputs, 0);
        NDArray combined = perAssignment.get(manager.create(tokenMajorOrder(routing, rowOfAssignment)))
                .reshape(tokens, topK, hidden)
                .sum(new int[] {1});
        RoutingTrace trace = new RoutingTrace(tokens, numExperts, topK, routerLogits, routing.experts(),
                routing.weights(), outputNorms);
        return new FeedForwardResult(combined, Optional.of(trace));
    }

    /**
     * The same output computed densely: every expert on every token, weighted by its routing weight (0 where the
     * token is not routed to it). E/k times the work of {@link #apply}: the naive baseline that the sparse dispatch is
     * measured against, and a check of it.
     */
    public NDArray denseOutput(NDArray x) {
        NDManager manager = x.getManager();
        int tokens = Math.toIntExact(x.getShape().get(0));
        int numExperts = experts.size();
        TopKRouting routing = TopKRouting.select(router.apply(x).softmax(-1).toFloatArray(), tokens, numExperts, topK,
                normTopkProb);
        float[] dense = new float[tokens * numExperts];
        for (int token = 0; token < tokens; token++) {
            for (int slot = 0; slot < topK; slot++) {
                dense[token * numExperts + routing.expert(token, slot)] = routing.weight(token, slot);
            }
        }
        NDArray weights = manager.create(dense, new Shape(tokens, numExperts));
        NDArray sum = manager.zeros(x.getShape());
        for (int expert = 0; expert < numExperts; expert++) {
            NDArray weight = weights.get(":, {}:{}", expert, expert + 1);
            NDArray next;
            // each expert's intermediates are freed at once, so that the baseline's memory is one expert's
            try (NDManager scratch = manager.newSubManager()) {
                x.tempAttach(scratch);
                next = sum.add(experts.get(expert).apply(x).mul(weight));
                next.attach(manager);
            }
            sum.close();
            sum = next;
        }
        return sum;
    }

    /** Indices {@code token * topK + slot} routed to {@code expert}, in ascending token order. */
    private static List<Integer> assignmentsOf(TopKRouting routing, int expert) {
        List<Integer> assignments = new ArrayList<>();
        for (int assignment = 0; assignment < routing.experts().length; assignment++) {
            if (routing.experts()[assignment] == expert) {
                assignments.add(assignment);
            }
        }
        return assignments;
    }

    /**
     * For every token, the rows of its k weighted outputs in ascending expert id, the order in which transformers
     * accumulates them, so that sums round the same way.
     */
    private long[] tokenMajorOrder(TopKRouting routing, int[] rowOfAssignment) {
        long[] order = new long[rowOfAssignment.length];
        for (int token = 0; token < routing.tokens(); token++) {
            Integer[] slots = new Integer[topK];
            for (int slot = 0; slot < topK; slot++) {
                slots[slot] = slot;
            }
            int base = token * topK;
            Arrays.sort(slots, (a, b) -> Integer.compare(routing.experts()[base + a], routing.experts()[base + b]));
            for (int i = 0; i < topK; i++) {
                order[base + i] = rowOfAssignment[base + slots[i]];
            }
        }
        return order;
    }
}
