package io.reapomni.cli.scores;

import io.reapomni.cli.ExitCodes;
import io.reapomni.cli.Stores;
import io.reapomni.common.evaluation.QualityTables;
import io.reapomni.common.job.SampleRange;
import io.reapomni.common.plan.ScoringEvidence;
import io.reapomni.common.rewrite.ReportFiles;
import io.reapomni.common.rewrite.RewriteReport;
import io.reapomni.common.rewrite.ScoreTables;
import io.reapomni.common.storage.ObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;

/** Prints the scores a calibrated job chose by, from the report in its output. */
@Command(name = "scores", mixinStandardHelpOptions = true,
        description = "Show the expert scores (S1, S2, S3, affinity), the layer similarities, the calibration data"
                + " and the quality on held-out samples of a pruned model, from its " + RewriteReport.JSON_FILE + ".")
public final class ScoresCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DST", description = "A pruned model: a local folder or s3://bucket/prefix.")
    String output;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        RewriteReport report;
        try (ObjectStore store = Stores.open(output)) {
            report = ReportFiles.readReport(store);
        }
        Optional<ScoringEvidence> evidence = ScoringEvidence.fromPlanEvidence(report.plan().path("evidence"));
        if (evidence.isEmpty() && report.quality().isEmpty()) {
            spec.commandLine().getErr().println(output + " was pruned by a plan without scores (listed experts and"
                    + " layers, or a strip only) and was not evaluated: there are no scores to show");
            return ExitCodes.BAD_INPUT;
        }
        evidence.ifPresent(scores -> out.print(ScoreTables.render(scores)));
        report.quality().ifPresent(quality -> {
            out.printf("%n## Quality on held-out samples: %s of %s%n%n", new SampleRange(quality.firstSample(),
                    quality.sampleCount()), quality.data());
            quality.average().ifPresent(average -> out.println(average.describe("held-out audio samples") + "\n"));
            out.print(QualityTables.render(quality));
        });
        out.flush();
        return ExitCodes.OK;
    }
}
