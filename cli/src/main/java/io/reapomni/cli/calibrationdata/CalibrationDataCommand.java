package io.reapomni.cli.calibrationdata;

import io.reapomni.cli.ExitCodes;
import io.reapomni.common.job.Modality;
import io.reapomni.devtools.calibrationdata.CalibrationDataGenerator;
import io.reapomni.devtools.calibrationdata.GeneratedData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

/** Writes calibration data sets for demos and tests, and says what it made and with which tools. */
@Command(name = "calibration-data", mixinStandardHelpOptions = true,
        description = "Generate calibration data: audio.jsonl, video.jsonl and mixed.jsonl with their clips, from "
                + "built-in prompts. Speech comes from espeak-ng and videos from ffmpeg; where either is missing, "
                + "generated tones or PNG frames stand in, and the command says so.")
public final class CalibrationDataCommand implements Callable<Integer> {
    @Option(names = "--output", required = true, paramLabel = "DIR",
            description = "The folder to write into; files of the same names are overwritten.")
    Path output;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "8",
            description = "Samples per data set (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "The same seed writes the same data (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--tool-timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "Stop espeak-ng or ffmpeg after this long on one clip and leave its sample out"
                    + " (default: ${DEFAULT-VALUE}).")
    long toolTimeoutSeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (toolTimeoutSeconds < 1) {
            throw new IllegalArgumentException("--tool-timeout must be at least 1 second, not " + toolTimeoutSeconds);
        }
        GeneratedData data = CalibrationDataGenerator.withInstalledTools(Duration.ofSeconds(toolTimeoutSeconds))
                .generate(output, samples, seed);
        PrintWriter err = spec.commandLine().getErr();
        data.fallbackNotices().forEach(notice -> err.println("warning: " + notice));
        data.skipped().forEach(skipped -> err.println("skipped " + skipped));
        err.flush();
        PrintWriter out = spec.commandLine().getOut();
        out.printf("Wrote calibration data to %s (seed %d):%n", output, seed);
        for (Modality dataSet : Modality.values()) {
            out.printf("  %-12s %d samples%n", CalibrationDataGenerator.fileName(dataSet), data.samples(dataSet));
        }
        out.printf(Locale.ROOT, "  %-12s %d audio clips (%s, %.1f s of audio), %d videos (%s)%n",
                CalibrationDataGenerator.CLIPS_FOLDER + "/", data.speechClips(), data.speech().description(),
                data.audioSeconds(), data.videoClips(), data.video().description());
        out.printf("Use it with: --audio-data %s --video-data %s --mixed-data %s%n", data.file(Modality.AUDIO),
                data.file(Modality.VIDEO), data.file(Modality.MIXED));
        out.flush();
        return ExitCodes.OK;
    }
}
