package io.reapomni.cli.demo;

import io.reapomni.cli.jobs.IdleTimeoutOption;
import io.reapomni.cli.jobs.JobOutcome;
import io.reapomni.cli.jobs.LocalJob;
import io.reapomni.cli.jobs.LocalPruneRequest;
import io.reapomni.cli.jobs.OutcomeReport;
import io.reapomni.cli.jobs.Patience;
import io.reapomni.cli.prune.ScoringSummary;
import io.reapomni.cli.stack.ReapHome;
import io.reapomni.cli.stack.RunFolderOption;
import io.reapomni.cli.stack.StackSession;
import io.reapomni.cli.stack.StackSettings;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.format.Units;
import io.reapomni.common.job.CalibrationSettings;
import io.reapomni.common.job.EvaluationSettings;
import io.reapomni.common.job.Modality;
import io.reapomni.common.job.PlanChoices;
import io.reapomni.common.job.SaliencyNormalization;
import io.reapomni.common.plan.Strip;
import io.reapomni.common.report.Figure;
import io.reapomni.common.rewrite.ReportFiles;
import io.reapomni.common.rewrite.RewriteReport;
import io.reapomni.devtools.calibrationdata.CalibrationDataGenerator;
import io.reapomni.devtools.calibrationdata.GeneratedData;
import io.reapomni.devtools.synthetic.SyntheticCheckpoint;
import io.reapomni.devtools.synthetic.SyntheticModelSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * The first command to run, the whole method on a model of its own: generates a small Qwen3-Omni-shaped checkpoint
 * and spoken calibration prompts, prunes the model through the real services on the embedded stack (calibration,
 * REAP audio-affinity scoring, layer similarity, the rewrite) and evaluates the written model against the original
 * on the prompts held out of calibration; then shows the scores, the quality and where the report's pictures are.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The whole method on a small generated model: speech prompts, calibration, scores, the written"
                + " model and its quality on held-out prompts, with the report's pictures.",
                "Runs through the embedded stack (the running one, or one started for the demo)."})
public final class DemoCommand implements Callable<Integer> {
    /** Prompts generated: the first ones calibrate, the last {@link #HELD_OUT} evaluate. */
    private static final int PROMPTS = 12;
    private static final int HELD_OUT = 4;
    private static final int GENERATE_TOKENS = 8;
    private static final double RETENTION = 0.5;
    private static final int MAX_LAYERS = 2;
    private static final double SIMILARITY_THRESHOLD = 0.5;

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
        out.printf("1. Generated a Qwen3-Omni-shaped checkpoint: %d thinker layers of %d experts (top-%d), with audio"
                + " tower, vision, talker and tokenizer; %s in %s%n", sizes.layers(), sizes.experts(),
                sizes.expertsPerToken(), Units.bytes(bytes), model);
        GeneratedData data = CalibrationDataGenerator.withInstalledTools().generate(work.resolve("calib"), PROMPTS,
                2026);
        Path audio = data.file(Modality.AUDIO);
        out.printf(Locale.ROOT, "2. Generated %d spoken prompts (%s, %.1f s of audio) in %s: the first %d calibrate,"
                        + " the last %d are held out to evaluate the pruned model%n", data.speechClips(),
                data.speech().description(), data.audioSeconds(), audio, PROMPTS - HELD_OUT, HELD_OUT);
        data.fallbackNotices().forEach(notice -> out.println("   (" + notice + ")"));
        out.printf(Locale.ROOT, "3. Pruning through the services: strip vision, keep the %d%% of experts with the"
                        + " highest audio affinity in every layer, drop up to %d layers whose input and output agree"
                        + " most (mean cosine at least %.1f), then evaluate the written model on the held-out"
                        + " prompts%n%n", Math.round(RETENTION * 100), MAX_LAYERS, SIMILARITY_THRESHOLD);
        out.flush();

        PlanChoices choices = new PlanChoices(Set.of(Strip.VISION), MoeStack.THINKER, List.of(), new TreeMap<>(),
                List.of(), Optional.empty());
        CalibrationSettings calibration = new CalibrationSettings(Map.of(Modality.AUDIO, audio.toString()),
                PROMPTS - HELD_OUT, OptionalDouble.of(RETENTION), CalibrationSettings.DEFAULT_LAMBDA,
                CalibrationSettings.DEFAULT_BETA, SIMILARITY_THRESHOLD, MAX_LAYERS,
                CalibrationSettings.DEFAULT_PROTECT_FIRST, CalibrationSettings.DEFAULT_PROTECT_LAST,
                CalibrationSettings.DEFAULT_LAYERS_TO_SKIP,
                SaliencyNormalization.REAP, new EvaluationSettings(HELD_OUT, GENERATE_TOKENS));
        int status;
        LocalPruneRequest request = new LocalPruneRequest(model, Optional.of(output), choices, Optional.of(calibration));
        try (StackSession stack = StackSession.open(runFolder.folder(), ReapHome.locate(),
                StackSettings.of(1, request.folders()), out)) {
            JobOutcome outcome = LocalJob.run(stack, "demo-" + UUID.randomUUID(), request,
                    Patience.whileAnswering(Optional.of(Duration.ofSeconds(IdleTimeoutOption.DEFAULT_SECONDS))), out);
            status = OutcomeReport.print(out, spec.commandLine().getErr(), outcome, output.toString());
        }
        if (status == 0) {
            RewriteReport report = ReportFiles.readReport(Files.readAllBytes(output.resolve(RewriteReport.JSON_FILE)));
            report.scoringEvidence().ifPresent(evidence -> ScoringSummary.print(out, evidence));
            out.printf("%nThe report, with its pictures: %s%n", output.resolve(RewriteReport.MARKDOWN_FILE));
            for (Figure figure : report.figures()) {
                out.printf("  %-28s %s%n", figure.file(), figure.caption());
            }
            out.printf(Locale.ROOT, "%nDemo done in %.1f s. Next: bin/reap-omni scores %s; bin/reap-omni evaluate -m"
                            + " %s --pruned %s --data %s (the README shows the real model's commands)%n",
                    (System.nanoTime() - started) / 1e9, output, model, output, audio);
            out.flush();
        }
        return status;
    }
}
