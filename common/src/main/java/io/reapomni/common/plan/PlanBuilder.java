package io.reapomni.common.plan;

import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.checkpoint.CheckpointException;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.checkpoint.StackConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** Turns a {@link PlanDraft} into a plan for a checkpoint, validated against it (config edits included). */
public final class PlanBuilder {
    private PlanBuilder() {
    }

    public static ValidatedPlan build(Checkpoint checkpoint, PlanDraft request) throws PlanException {
        MoeStack stack = request.component();
        StackConfig config;
        try {
            config = checkpoint.config().stack(stack);
        } catch (CheckpointException e) {
            throw new PlanException("the checkpoint's " + stack.id() + " config is unusable", List.of(e.getMessage()));
        }
        List<String> problems = new ArrayList<>();
        request.dropLayers().stream().filter(layer -> layer < 0 || layer >= config.numHiddenLayers())
                .forEach(layer -> problems.add("cannot drop " + stack.id() + " layer " + layer
                        + ": it has layers 0.." + (config.numHiddenLayers() - 1)));
        if (!problems.isEmpty()) {
            throw new PlanException("the request does not fit the checkpoint", problems);
        }
        List<Integer> keptLayers = IntStream.range(0, config.numHiddenLayers())
                .filter(layer -> !request.dropLayers().contains(layer)).boxed().toList();
        PruningPlan plan = PruningPlan.empty().withStrip(request.strip()).withEvidence(request.evidence());
        if (!request.dropLayers().isEmpty()) {
            plan = plan.withLayers(Map.of(stack, keptLayers));
        }
        if (request.experts().isPresent()) {
            plan = plan.withExperts(Map.of(stack, request.experts().get().forKeptLayers(keptLayers, config::isMoeLayer)));
        }
        return PlanValidator.validate(plan, checkpoint);
    }
}
