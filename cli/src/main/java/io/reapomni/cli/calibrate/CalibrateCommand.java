package io.reapomni.cli.calibrate;

import io.reapomni.calibration.Calibration;
import io.reapomni.calibration.CalibrationResult;
import io.reapomni.calibration.CalibrationRun;
import io.reapomni.calibration.data.MediaLimits;
import io.reapomni.cli.ExitCodes;
import io.reapomni.cli.Stores;
import io.reapomni.cli.options.CalibrationDataFlags;
import io.reapomni.common.job.Modality;
import io.reapomni.common.storage.ObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** bin/reap-omni calibrate: runs the calibration data through the model and writes the statistics scoring reads. */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = "Run calibration samples through the thinker layer by layer and write REAP and layer statistics.")
public final class CalibrateCommand implements Callable<Integer> {
    @Option(names = {"-m", "--model-path"}, required = true, paramLabel = "SRC",
            description = "The Qwen3-Omni checkpoint: a local folder or s3://bucket/prefix (S3 settings from REAP_S3_*).")
    String modelPath;

    @Mixin
    CalibrationDataFlags data;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "Where to write the statistics JSON.")
    Path output;

    @Mixin
    ComputeFlags compute;

    @Mixin
    MediaLimitFlags limits;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Map<Modality, Path> files = data.files();
        if (!files.containsKey(Modality.AUDIO)) {
            throw new IllegalArgumentException("--audio-data is required: audio samples give the S1 term of the affinity");
        }
        CalibrationRun request = new CalibrationRun(files, data.samples(), compute.options());
        MediaLimits mediaLimits = limits.limits();
        PrintWriter out = spec.commandLine().getOut();
        long started = System.nanoTime();
        CalibrationResult result;
        try (ObjectStore model = Stores.open(modelPath);
             Calibration calibration = Calibration.open(model, mediaLimits);
             CalibrationProgressBar progress = new CalibrationProgressBar(new PrintStream(System.err, true))) {
            result = calibration.run(request, progress);
        }
        Path parent = output.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.write(output, result.statistics().toJson());
        out.printf("calibration statistics written to %s%n", output);
        RunSummary.print(out, result, (System.nanoTime() - started) / 1e9);
        out.flush();
        return ExitCodes.OK;
    }

}
