package io.reapomni.cli.prune;

import io.reapomni.cli.ExitCodes;
import io.reapomni.cli.Stores;
import io.reapomni.cli.describe.PlanDescription;
import io.reapomni.cli.evaluate.HeldOutEvaluation;
import io.reapomni.cli.jobs.IdleTimeoutOption;
import io.reapomni.cli.jobs.JobOutcome;
import io.reapomni.cli.jobs.LocalJob;
import io.reapomni.cli.jobs.LocalPruneRequest;
import io.reapomni.cli.jobs.OutcomeReport;
import io.reapomni.cli.jobs.Patience;
import io.reapomni.cli.options.CalibrationFlags;
import io.reapomni.cli.options.JobIdConverter;
import io.reapomni.cli.options.PruningFlags;
import io.reapomni.cli.stack.ReapHome;
import io.reapomni.cli.stack.RunFolderOption;
import io.reapomni.cli.stack.StackSession;
import io.reapomni.cli.stack.StackSettings;
import io.reapomni.cli.stack.WorkersOption;
import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.format.Units;
import io.reapomni.common.job.CalibrationSettings;
import io.reapomni.common.job.PlanChoices;
import io.reapomni.common.job.PruneRequest;
import io.reapomni.common.plan.PlanEffect;
import io.reapomni.common.plan.PlanJson;
import io.reapomni.common.plan.PruningPlan;
import io.reapomni.common.plan.ScoringEvidence;
import io.reapomni.common.plan.ValidatedPlan;
import io.reapomni.common.rewrite.CheckpointRewriter;
import io.reapomni.common.rewrite.OutputTarget;
import io.reapomni.common.rewrite.ReportFiles;
import io.reapomni.common.rewrite.ResumableRewriteException;
import io.reapomni.common.rewrite.RewriteReport;
import io.reapomni.common.rewrite.RewriteResult;
import io.reapomni.common.rewrite.StagingSweeper;
import io.reapomni.common.rewrite.TransferStats;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.ObjectStores;
import io.reapomni.common.storage.S3Settings;
import io.reapomni.common.storage.StoreLocation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;

/** Plans, validates and writes a pruned checkpoint. */
@Command(name = "prune", mixinStandardHelpOptions = true,
        description = {"Strip modalities, prune experts and drop layers, writing a new checkpoint (SRC is only read).",
                "Local folders go through the services of the embedded stack (the running one, or one started for"
                        + " this job); s3:// locations and --in-process rewrite in this process."})
public final class PruneCommand implements Callable<Integer> {
    @Option(names = {"-m", "--model-path"}, required = true, paramLabel = "SRC",
            description = "The model: a local folder or s3://bucket/prefix.")
    String modelPath;

    @Option(names = {"-o", "--output-path"}, paramLabel = "DST",
            description = "Where the pruned model goes: a new or empty local folder or s3://bucket/prefix.")
    String outputPath;

    @Option(names = "--dry-run", description = {"Plan and validate, print what would change, write nothing.",
            "With calibration flags the job runs calibration and scoring on the embedded stack and ends with the"
                    + " scored plan; --write-plan saves it (with its scores) for review, --plan executes it."})
    boolean dryRun;

    @Option(names = "--verbose", description = "Print every tensor removed or renamed, and every file written.")
    boolean verbose;

    @Option(names = "--job-id", paramLabel = "ID", converter = JobIdConverter.class,
            description = {"Name of this job in the manifest and report (default: random): 1 to 64 letters, digits,"
                    + " '.', '_' and '-'.", "Running a stopped or failed job again with its id resumes it from the"
                    + " files it finished; an id already used for another request to the same output is refused."})
    String jobId;

    @Option(names = "--in-process", description = "Rewrite in this process instead of through the services of the"
            + " embedded stack (which local folders otherwise go through).")
    boolean inProcess;

    @Mixin
    RunFolderOption runFolder;

    @Mixin
    WorkersOption workers;

    @Mixin
    IdleTimeoutOption idle;

    @Mixin
    PruningFlags pruning;

    @Mixin
    CalibrationFlags calibration;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (outputPath == null && !dryRun && pruning.writePlanFile().isEmpty()) {
            throw new IllegalArgumentException("--output-path is required (or --dry-run / --write-plan to only plan)");
        }
        PlanChoices choices = pruning.choices();
        Optional<CalibrationSettings> calibrated = calibration.settings();
        boolean writesModel = outputPath != null && !dryRun;
        // Refuses inconsistent choices before anything starts.
        PruneRequest request = new PruneRequest(StoreLocation.parse(modelPath),
                Optional.ofNullable(outputPath).map(StoreLocation::parse), choices, calibrated, !writesModel);
        String job = jobId != null ? jobId : UUID.randomUUID().toString();
        if (request.needsCalibration()) {
            return calibrated(out, job, request);
        }
        try (ObjectStore source = Stores.open(request.modelPath())) {
            Checkpoint checkpoint = Checkpoint.open(source);
            ValidatedPlan validated = choices.plan(checkpoint);
            PruningPlan plan = validated.plan();
            Optional<StoreLocation> output = request.outputPath();
            if (output.isPresent()) {
                CheckpointRewriter.requireOutside(output.get(), source.location());
            }
            PlanDescription.print(out, checkpoint, plan, PlanEffect.of(checkpoint, plan), verbose);
            writePlanFile(out, plan);
            if (output.isEmpty()) {
                out.flush();
                return 0;
            }
            if (dryRun) {
                OutputTarget.requireEmpty(output.get(), S3Settings::fromEnvironment);
                out.println("\nDry run: the plan fits the model and " + output.get() + " can take it; nothing was written.");
                out.flush();
                return 0;
            }
            sweepNear(output.get(), job);
            if (!inProcess && source.location() instanceof StoreLocation.Local model
                    && output.get() instanceof StoreLocation.Local folder) {
                OutputTarget.requireEmpty(folder, S3Settings::fromEnvironment);
                out.println();
                out.flush();
                LocalPruneRequest local = new LocalPruneRequest(model.folder(), Optional.of(folder.folder()), choices, calibrated);
                try (StackSession stack = openStack(local, out)) {
                    JobOutcome outcome = LocalJob.run(stack, job, local, Patience.whileAnswering(idle.silence()), out);
                    return OutcomeReport.print(out, spec.commandLine().getErr(), outcome, folder.toString());
                }
            }
            RewriteResult result;
            CheckpointRewriter rewriter = new CheckpointRewriter(source);
            try (StopOnShutdown stop = StopOnShutdown.install()) {
                try (OutputTarget target = OutputTarget.open(output.get(), S3Settings::fromEnvironment,
                        rewriter.claim(job, validated));
                     RewriteProgress progress = RewriteProgress.start(spec.commandLine().getErr(), verbose)) {
                    result = rewriter.rewrite(validated, target, progress, stop);
                } catch (ResumableRewriteException e) {
                    // Told before the stop is released: a SIGTERM's exit waits for this message.
                    return printResumable(e);
                }
            }
            printSummary(out, result, output.get());
            if (calibrated.map(CalibrationSettings::evaluates).orElse(false)) {
                try (ObjectStore written = ObjectStores.open(output.get(), S3Settings::fromEnvironment)) {
                    HeldOutEvaluation.run(source, written, job, calibrated.get(), out).ifPresent(quality ->
                            out.println(quality.describe("held-out audio samples") + "; report in " + output.get()
                                    + "/" + RewriteReport.MARKDOWN_FILE));
                }
            }
        }
        out.flush();
        return 0;
    }

    /**
     * The calibrated method: calibration, scoring and the rewrite as one job through the services of the embedded
     * stack; a dry run ends with the scored plan, which is shown and saved with {@code --write-plan}.
     */
    private int calibrated(PrintWriter out, String job, PruneRequest request) throws IOException {
        if (inProcess) {
            throw new IllegalArgumentException("calibrated pruning (--retention-rate, --max-layers, --preset) runs"
                    + " through the calibration and scoring services: leave out --in-process");
        }
        Path model = localFolder(request.modelPath(), "--model-path");
        Optional<Path> output = request.outputPath().map(path -> localFolder(path, "--output-path"));
        if (output.isPresent()) {
            CheckpointRewriter.requireOutside(new StoreLocation.Local(output.get()), new StoreLocation.Local(model));
            OutputTarget.requireEmpty(new StoreLocation.Local(output.get()), S3Settings::fromEnvironment);
        }
        Optional<Path> written = request.dryRun() ? Optional.empty() : output;
        JobOutcome outcome;
        LocalPruneRequest local = new LocalPruneRequest(model, written, request.choices(), request.calibration());
        try (StackSession stack = openStack(local, out)) {
            outcome = LocalJob.run(stack, job, local, Patience.whileAnswering(idle.silence()), out);
        }
        if (outcome instanceof JobOutcome.Proposed proposed) {
            showProposal(out, model, proposed.event().plan(), output);
        }
        int status = OutcomeReport.print(out, spec.commandLine().getErr(), outcome,
                written.map(Path::toString).orElse(""));
        if (outcome instanceof JobOutcome.Completed) {
            ScoringEvidence.fromPlanEvidence(ReportFiles.readReport(Files.readAllBytes(
                            written.orElseThrow().resolve(RewriteReport.JSON_FILE))).plan().path("evidence"))
                    .ifPresent(evidence -> ScoringSummary.print(out, evidence));
            out.println("Scores of every expert and layer: reap-omni scores " + written.orElseThrow());
        }
        out.flush();
        return status;
    }

    /** The running stack, or one started for this job, whose services may use the job's folders. */
    private StackSession openStack(LocalPruneRequest request, PrintWriter out) throws IOException {
        return StackSession.open(runFolder.folder(), ReapHome.locate(),
                StackSettings.of(workers.workers(), request.folders()), out);
    }

    private void showProposal(PrintWriter out, Path model, PruningPlan plan, Optional<Path> output)
            throws IOException {
        try (ObjectStore source = Stores.open(model.toString())) {
            Checkpoint checkpoint = Checkpoint.open(source);
            out.println();
            PlanDescription.print(out, checkpoint, plan, PlanEffect.of(checkpoint, plan), verbose);
        }
        ScoringEvidence.fromPlanEvidence(plan.evidence()).ifPresent(evidence -> ScoringSummary.print(out, evidence));
        writePlanFile(out, plan);
        output.ifPresent(folder -> out.println("Dry run: " + folder + " can take the model; nothing was written."));
    }

    private void writePlanFile(PrintWriter out, PruningPlan plan) throws IOException {
        if (pruning.writePlanFile().isPresent()) {
            Files.write(pruning.writePlanFile().get(), PlanJson.write(plan));
            out.println("\nPlan written to " + pruning.writePlanFile().get() + " (execute it, edited or not, with"
                    + " --plan)");
        }
    }

    private static Path localFolder(StoreLocation location, String option) {
        if (location instanceof StoreLocation.Local local) {
            return local.folder();
        }
        throw new IllegalArgumentException("calibrated pruning runs on the embedded stack, over local folders: "
                + option + " " + location + " is not one; for models in S3 submit the job to running services with"
                + " reap-omni submit");
    }

    /**
     * Deletes what earlier jobs left beside a local output (or under an S3 one) and never came back for: staging
     * folders and multipart uploads older than {@code REAP_STAGING_MAX_AGE}. A failure here only warns: the job's
     * own output does not depend on it.
     */
    private void sweepNear(StoreLocation output, String job) {
        PrintWriter err = spec.commandLine().getErr();
        Duration maxAge = StagingSweeper.maxAge(System.getenv());
        try {
            for (String removed : StagingSweeper.sweepNear(output, S3Settings::fromEnvironment, maxAge, Set.of(job),
                    Clock.systemUTC())) {
                err.println("Removed " + removed + ", left by a job that did not come back for "
                        + Units.age(maxAge));
            }
        } catch (IOException | RuntimeException e) {
            err.println("reap-omni prune: warning: could not sweep what earlier jobs left near " + output + ": "
                    + e.getMessage());
        }
        err.flush();
    }

    /** A rewrite that stopped or failed with its finished files kept: what happened, and how to go on or give up. */
    private int printResumable(ResumableRewriteException stopped) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("reap-omni prune: " + stopped.getMessage());
        err.println("To resume, run the same command again with --job-id " + stopped.jobId() + "; to give up, delete "
                + stopped.staging() + (stopped.staging() instanceof StoreLocation.Local
                ? " (prune deletes staging folders that no job came back for after "
                + Units.age(StagingSweeper.maxAge(System.getenv())) + ")." : "."));
        if (verbose) {
            stopped.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.FAILED;
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
