package io.reapomni.cli.options;

import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.job.PlanChoices;
import io.reapomni.common.plan.ExpertChoice;
import io.reapomni.common.plan.PlanException;
import io.reapomni.common.plan.PlanJson;
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
import java.util.SortedMap;
import java.util.TreeMap;



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

    public Optional<Path> writePlanFile() {
        return Optional.ofNullable(writePlan);
    }

    /** What the flags choose; plan files are read here, so that their errors name the file. */
    public PlanChoices choices() throws IOException, PlanException {
        Set<Strip> strip = EnumSet.noneOf(Strip.class);
        if (stripVision) {
            strip.add(Strip.VISION);
        }
        if (stripTalker) {
            strip.add(Strip.TALKER);
        }
        SortedMap<Integer, List<Integer>> perLayer = expertPlan == null
                ? new TreeMap<>() : ExpertChoice.PerLayer.read(Files.readAllBytes(expertPlan)).ids();
        Optional<PruningPlan> saved = planFile == null
                ? Optional.empty() : Optional.of(PlanJson.read(Files.readAllBytes(planFile)));
        return new PlanChoices(strip, component, keepExperts, perLayer, pruneLayers, saved);
    }
}
