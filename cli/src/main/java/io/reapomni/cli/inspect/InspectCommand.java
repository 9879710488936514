package io.reapomni.cli.inspect;

import io.reapomni.cli.Stores;
import io.reapomni.cli.options.PruningFlags;
import io.reapomni.cli.describe.CheckpointDescription;
import io.reapomni.cli.describe.PlanDescription;
import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.job.PlanChoices;
import io.reapomni.common.plan.PlanEffect;
import io.reapomni.common.plan.PlanJson;
import io.reapomni.common.plan.PruningPlan;
import io.reapomni.common.storage.ObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.concurrent.Callable;

/** Describes a checkpoint, and with pruning flags exactly what they would remove and what the output would weigh. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show a checkpoint's components, layers, experts and shards; with pruning flags, what they would change.")
public final class InspectCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "A local folder or s3://bucket/prefix.")
    String model;

    @Mixin
    PruningFlags pruning;

    @Option(names = "--verbose", description = "Also list every tensor the plan removes or renames.")
    boolean verbose;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (ObjectStore store = Stores.open(model)) {
            Checkpoint checkpoint = Checkpoint.open(store);
            CheckpointDescription.print(out, store.location().toString(), checkpoint);
            PlanChoices choices = pruning.choices();
            if (!choices.isEmpty()) {
                PruningPlan plan = choices.plan(checkpoint).plan();
                out.println();
                PlanDescription.print(out, checkpoint, plan, PlanEffect.of(checkpoint, plan), verbose);
                if (pruning.writePlanFile().isPresent()) {
                    Files.write(pruning.writePlanFile().get(), PlanJson.write(plan));
                    out.println("\nPlan written to " + pruning.writePlanFile().get());
                }
            }
        }
        out.flush();
        return 0;
    }
}
