package io.reapomni.cli.demo;

import io.reapomni.cli.describe.PlanDescription;
import io.reapomni.cli.jobs.IdleTimeoutOption;
import io.reapomni.cli.jobs.JobOutcome;
import io.reapomni.cli.jobs.LocalJob;
import io.reapomni.cli.jobs.LocalRequest;
import io.reapomni.cli.jobs.OutcomeReport;
import io.reapomni.cli.jobs.Patience;
import io.reapomni.cli.stack.ReapHome;
import io.reapomni.cli.stack.RunFolderOption;
import io.reapomni.cli.stack.StackSession;
import io.reapomni.cli.stack.StackSettings;
import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.format.Units;
import io.reapomni.common.job.PlanChoices;
import io.reapomni.common.plan.PlanEffect;
import io.reapomni.common.plan.PruningPlan;
import io.reapomni.common.plan.Strip;
import io.reapomni.common.storage.LocalObjectStore;
import io.reapomni.common.synthetic.SyntheticCheckpoint;
import io.reapomni.common.synthetic.SyntheticModelSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;

/**
 * The first command to run: generates a small Qwen3-Omni-shaped checkpoint and prunes it through the real services
 * on the embedded stack (strip vision, keep half the experts, drop two layers).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Generate a small Qwen3-Omni-shaped checkpoint and prune it through the embedded stack.")
public final class DemoCommand implements Callable<Integer> {

    @Mixin
    RunFolderOption runFolder;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        PrintWriter out = spec.commandLine().getOut();
        Path work = Files.createTempDirectory("reap-omni-demo-");
        Path model = work.resolve("model");
        Path output = work.resolve("pruned");
        SyntheticModelSpec sizes = SyntheticModelSpec.small();
        long bytes = SyntheticCheckpoint.write(model, sizes);
        out.printf("Generated a Qwen3-Omni-shaped checkpoint (%d thinker layers of %d experts, with audio, vision,"
                + " talker; %s) in %s%n", sizes.layers(), sizes.experts(), Units.bytes(bytes), model);

        PlanChoices choices = new PlanChoices(Set.of(Strip.VISION), MoeStack.THINKER,
                IntStream.range(0, sizes.experts() / 2).boxed().toList(), new TreeMap<>(),
                List.of(sizes.layers() / 2 - 1, sizes.layers() / 2), Optional.empty());
        out.println("Pruning: strip vision, keep experts 0-" + (sizes.experts() / 2 - 1) + " of every layer, drop"
                + " layers " + choices.pruneLayers() + "\n");
        try (LocalObjectStore store = new LocalObjectStore(model)) {
            Checkpoint checkpoint = Checkpoint.open(store);
            PruningPlan plan = choices.plan(checkpoint);
            PlanDescription.print(out, checkpoint, plan, PlanEffect.of(checkpoint, plan), false);
        }
        out.println();
        out.flush();
        int status;
        LocalRequest request = new LocalRequest(model, Optional.of(output), choices, Optional.empty());
        try (StackSession stack = StackSession.open(runFolder.folder(), ReapHome.locate(),
                StackSettings.of(1, request.folders()), out)) {
            JobOutcome outcome = LocalJob.run(stack, "demo-" + UUID.randomUUID(), request,
                    Patience.whileAnswering(Optional.of(Duration.ofSeconds(IdleTimeoutOption.DEFAULT_SECONDS))), out);
            status = OutcomeReport.print(out, spec.commandLine().getErr(), outcome, output.toString());
        }
        if (status == 0) {
            out.printf("%nDemo done in %.1f s. Look at the result: bin/reap-omni inspect %s (and %s/REPORT.md)%n",
                    (System.nanoTime() - started) / 1e9, output, output);
            out.flush();
        }
        return status;
    }
}
