package io.reapomni.cli.prune;

import io.reapomni.cli.Stores;
import io.reapomni.cli.describe.PlanDescription;
import io.reapomni.cli.options.CalibrationFlags;
import io.reapomni.cli.options.PruningFlags;
import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.format.Units;
import io.reapomni.common.job.CalibrationSettings;
import io.reapomni.common.plan.PlanEffect;
import io.reapomni.common.plan.PlanJson;
import io.reapomni.common.plan.PruningPlan;
import io.reapomni.common.rewrite.CheckpointRewriter;
import io.reapomni.common.rewrite.OutputTarget;
import io.reapomni.common.rewrite.RewriteResult;
import io.reapomni.common.rewrite.TransferStats;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.S3Settings;
import io.reapomni.common.storage.StoreLocation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;

/** Plans, validates and writes a pruned checkpoint. */
@Command(name = "prune", mixinStandardHelpOptions = true,
        description = "Strip modalities, prune experts and drop layers, writing a new checkpoint (SRC is only read).")
public final class PruneCommand implements Callable<Integer> {
    @Option(names = {"-m", "--model-path"}, required = true, paramLabel = "SRC",
            description = "The model: a local folder or s3://bucket/prefix.")
    String modelPath;

    @Option(names = {"-o", "--output-path"}, paramLabel = "DST",
            description = "Where the pruned model goes: a new or empty local folder or s3://bucket/prefix.")
    String outputPath;

    @Option(names = "--dry-run", description = "Plan and validate, print what would change, write nothing.")
    boolean dryRun;

    @Option(names = "--verbose", description = "Print every tensor removed or renamed, and every file written.")
    boolean verbose;

    @Option(names = "--job-id", paramLabel = "ID", description = "Name of this job in the manifest and report (default: random).")
    String jobId;

    @Mixin
    PruningFlags pruning;

    @Mixin
    CalibrationFlags calibration;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Optional<CalibrationSettings> calibrated = calibration.settings();
        if (calibrated.isPresent()) {
            throw new UnsupportedOperationException("calibrated pruning (--retention-rate, --max-layers, --*-data) needs"
                    + " the calibration and scoring services, which this version does not run yet; prune with"
                    + " --keep-experts or --expert-plan and --prune-layers, or execute a plan with --plan");
        }
        if (!pruning.any()) {
            throw new IllegalArgumentException("nothing to prune: give --strip-vision, --strip-talker, --keep-experts,"
                    + " --expert-plan, --prune-layers or --plan");
        }
        if (outputPath == null && !dryRun && pruning.writePlanFile().isEmpty()) {
            throw new IllegalArgumentException("--output-path is required (or --dry-run / --write-plan to only plan)");
        }
        String job = jobId != null ? jobId : UUID.randomUUID().toString();
        try (ObjectStore source = Stores.open(modelPath)) {
            Checkpoint checkpoint = Checkpoint.open(source);
            PruningPlan plan = pruning.plan(checkpoint);
            CheckpointRewriter rewriter = new CheckpointRewriter(source, checkpoint);
            PlanDescription.print(out, checkpoint, plan, PlanEffect.of(checkpoint, plan), verbose);
            if (pruning.writePlanFile().isPresent()) {
                Files.write(pruning.writePlanFile().get(), PlanJson.write(plan));
                out.println("\nPlan written to " + pruning.writePlanFile().get());
            }
            if (outputPath == null) {
                out.flush();
                return 0;
            }
            StoreLocation output = StoreLocation.parse(outputPath);
            if (dryRun) {
                OutputTarget.requireEmpty(output, S3Settings::fromEnvironment);
                rewriter.check(plan, output);
                out.println("\nDry run: the plan fits the model and " + output + " can take it; nothing was written.");
                out.flush();
                return 0;
            }
            RewriteResult result;
            try (OutputTarget target = OutputTarget.open(output, S3Settings::fromEnvironment, job);
                 RewriteProgress progress = RewriteProgress.start(spec.commandLine().getErr(), verbose)) {
                result = rewriter.rewrite(plan, target, job, progress);
            }
            printSummary(out, result, output);
        }
        out.flush();
        return 0;
    }

    private static void printSummary(PrintWriter out, RewriteResult result, StoreLocation output) {
        TransferStats transfer = result.transfer();
        out.printf("%nWrote %s: %d files, %s in %.1f s (%s); %s copied in place, %s streamed%n", output,
                result.manifest().files().size() + 1, Units.bytes(transfer.bytesWritten()), transfer.seconds(),
                Units.rate(transfer.bytesWritten(), transfer.seconds()), Units.bytes(transfer.bytesCopiedInPlace()),
                Units.bytes(transfer.bytesStreamed()));
        out.printf("Parameters %s → %s (%s); report in %s/REPORT.md%n", Units.count(result.report().parametersBefore()),
                Units.count(result.report().parametersAfter()),
                Units.change(result.report().parametersBefore(), result.report().parametersAfter()), output);
    }
}
