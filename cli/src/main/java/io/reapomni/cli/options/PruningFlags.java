package io.reapomni.cli.options;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.plan.ExpertChoice;
import io.reapomni.common.plan.PlanBuilder;
import io.reapomni.common.plan.PlanException;
import io.reapomni.common.plan.PlanJson;
import io.reapomni.common.plan.PlanRequest;
import io.reapomni.common.plan.PruningPlan;
import io.reapomni.common.plan.Strip;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The flags that say what to cut, shared by inspect and prune; names follow the seed's scripts. */
public final class PruningFlags {
    @Option(names = "--strip-vision", description = "Drop the vision encoder (thinker.visual.*).")
    boolean stripVision;

    @Option(names = "--strip-talker", description = "Drop the speech output (talker.*, code2wav.*) and set enable_audio_output false.")
    boolean stripTalker;

    @Option(names = "--component", paramLabel = "thinker|talker", defaultValue = "thinker",
            converter = MoeStackConverter.class,
            description = "The MoE stack that the expert and layer flags act on (default: ${DEFAULT-VALUE}).")
    MoeStack component;

    @Option(names = "--keep-experts", split = ",", paramLabel = "ID",
            description = "Keep these experts in every MoE layer, e.g. 0,2,4,6.")
    List<Integer> keepExperts = List.of();

    @Option(names = "--expert-plan", paramLabel = "FILE",
            description = "Kept experts per layer, JSON: {\"<layer>\": [ids], ...}.")
    Path expertPlan;

    @Option(names = "--prune-layers", arity = "1..*", paramLabel = "LAYER", description = "Drop these decoder layers.")
    List<Integer> pruneLayers = List.of();

    @Option(names = "--plan", paramLabel = "FILE", description = "Execute a saved plan (the other pruning flags must be absent).")
    Path planFile;

    @Option(names = "--write-plan", paramLabel = "FILE", description = "Save the plan these flags describe, as JSON.")
    Path writePlan;

    /** Whether any flag asks for a change to the model. */
    public boolean any() {
        return stripVision || stripTalker || !keepExperts.isEmpty() || expertPlan != null || !pruneLayers.isEmpty()
                || planFile != null;
    }

    public Optional<Path> writePlanFile() {
        return Optional.ofNullable(writePlan);
    }

    /** The plan the flags describe for this checkpoint, checked against it. */
    public PruningPlan plan(Checkpoint checkpoint) throws IOException, PlanException {
        if (planFile != null) {
            if (stripVision || stripTalker || !keepExperts.isEmpty() || expertPlan != null || !pruneLayers.isEmpty()) {
                throw new IllegalArgumentException("--plan executes a saved plan as it is: leave out --strip-*, "
                        + "--keep-experts, --expert-plan and --prune-layers, or edit the plan file");
            }
            return PlanJson.read(Files.readAllBytes(planFile));
        }
        if (!keepExperts.isEmpty() && expertPlan != null) {
            throw new IllegalArgumentException("give either --keep-experts or --expert-plan, not both");
        }
        Set<Strip> strip = EnumSet.noneOf(Strip.class);
        if (stripVision) {
            strip.add(Strip.VISION);
        }
        if (stripTalker) {
            strip.add(Strip.TALKER);
        }
        Optional<ExpertChoice> experts = Optional.empty();
        if (!keepExperts.isEmpty()) {
            experts = Optional.of(new ExpertChoice.SameForEveryLayer(keepExperts));
        } else if (expertPlan != null) {
            experts = Optional.of(ExpertChoice.PerLayer.read(Files.readAllBytes(expertPlan)));
        }
        return PlanBuilder.build(checkpoint, new PlanRequest(strip, component, experts, pruneLayers,
                JsonNodeFactory.instance.objectNode()));
    }
}
