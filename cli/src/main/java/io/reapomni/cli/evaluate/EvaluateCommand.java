package io.reapomni.cli.evaluate;

import io.reapomni.calibration.CalibrationSlice;
import io.reapomni.calibration.evaluation.Evaluation;
import io.reapomni.calibration.evaluation.EvaluationListener;
import io.reapomni.calibration.evaluation.EvaluationOptions;
import io.reapomni.cli.ExitCodes;
import io.reapomni.cli.Stores;
import io.reapomni.cli.calibrate.ComputeFlags;
import io.reapomni.common.evaluation.QualityReport;
import io.reapomni.common.evaluation.QualityTables;
import io.reapomni.common.job.CalibrationFile;
import io.reapomni.common.job.Modality;
import io.reapomni.common.job.SampleRange;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.ObjectStores;
import io.reapomni.common.storage.S3Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** bin/reap-omni evaluate: how far a pruned model's predictions are from its original's, on samples of a JSONL file. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Compare a pruned model with its original on samples of a JSONL file: per sample and on average"
                + " (token-weighted) the KL divergence of their next-token distributions, top-1 agreement and each"
                + " model's cross-entropy of the text, teacher-forced over the whole sample; and a short greedy"
                + " continuation from each, side by side.",
                "Both models may be local folders or s3://bucket/prefix (S3 settings from REAP_S3_*)."})
public final class EvaluateCommand implements Callable<Integer> {
    @Option(names = {"-m", "--model-path"}, required = true, paramLabel = "ORIGINAL",
            description = "The original model.")
    String original;

    @Option(names = "--pruned", required = true, paramLabel = "PRUNED",
            description = "The pruned model: it must have been made from ORIGINAL (same tokenizer, vocabulary and"
                    + " width); another model is refused.")
    String pruned;

    @Option(names = "--data", required = true, paramLabel = "JSONL",
            description = "Samples in the calibration data format (a local file or s3://bucket/prefix/file.jsonl);"
                    + " text and audio samples are evaluated, others are reported and skipped.")
    String data;

    @Option(names = "--samples", defaultValue = "8", paramLabel = "N",
            description = "How many samples (lines) to take, from --first-sample on (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--first-sample", defaultValue = "0", paramLabel = "K",
            description = "The first sample to take, numbered from 0 as a job's report numbers its held-out samples"
                    + " (default: ${DEFAULT-VALUE}).")
    int firstSample;

    @Option(names = "--generate-tokens", defaultValue = "" + EvaluationOptions.DEFAULT_GENERATE_TOKENS,
            paramLabel = "N", description = "Greedy new tokens from each model after each sample; 0 for none"
            + " (default: ${DEFAULT-VALUE}).")
    int generateTokens;

    @Option(names = "--resident-weights", defaultValue = "4", paramLabel = "GiB",
            description = "Keep a model's decoded decoder layers on the device between generation steps when they"
                    + " total at most this much; larger models stream their layers again for every new token, as"
                    + " the prompt pass does (default: ${DEFAULT-VALUE}).")
    double residentGib;

    @Option(names = "--output", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path output;

    @Mixin
    ComputeFlags compute;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (samples < 1) {
            throw new IllegalArgumentException("--samples must be at least 1, not " + samples);
        }
        if (!(residentGib >= 0) || Double.isInfinite(residentGib)) {
            throw new IllegalArgumentException("--resident-weights must be a number of GiB >= 0, not " + residentGib);
        }
        EvaluationOptions options = new EvaluationOptions(generateTokens, compute.options(),
                (long) (residentGib * (1L << 30)));
        SampleRange range = new SampleRange(firstSample, samples);
        CalibrationFile file = CalibrationFile.parse(data);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        QualityReport report;
        try (ObjectStore originalStore = Stores.open(original);
             ObjectStore prunedStore = Stores.open(pruned);
             ObjectStore dataFolder = ObjectStores.open(file.folder(), S3Settings::fromEnvironment);
             Evaluation evaluation = Evaluation.open(originalStore, prunedStore)) {
            if (!dataFolder.exists(file.name())) {
                throw new IllegalArgumentException("--data " + data + ": no such file");
            }
            EvaluationListener progress = new EvaluationListener() {
                @Override
                public void step(String description) {
                    err.println(description);
                    err.flush();
                }

                @Override
                public void layerDone(int layersDone, int totalLayers, long tokens) {
                }
            };
            report = evaluation.run(new CalibrationSlice(Modality.AUDIO, dataFolder, file.name(), range), options,
                    progress);
        }
        out.printf("Pruned %s against %s, on %s of %s:%n%n", pruned, original, range, data);
        out.print(QualityTables.render(report));
        out.println();
        out.println(report.average().map(average -> average.describe(average.samples() == 1 ? "sample" : "samples"))
                .orElse("no sample could be evaluated: " + report.skipped().size() + " skipped"));
        if (output != null) {
            Path parent = output.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Files.write(output, report.toJson());
            out.printf(Locale.ROOT, "Results written to %s%n", output);
        }
        out.flush();
        return report.samples().isEmpty() ? ExitCodes.BAD_INPUT : ExitCodes.OK;
    }
}
