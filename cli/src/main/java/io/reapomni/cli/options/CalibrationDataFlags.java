package io.reapomni.cli.options;

import io.reapomni.common.job.CalibrationSettings;
import io.reapomni.common.job.Modality;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/** The calibration data files and how many samples of each to use, shared by {@code calibrate} and {@code prune}. */
public final class CalibrationDataFlags {
    @Option(names = "--audio-data", paramLabel = "JSONL", description = "Audio calibration samples (S1).")
    Path audioData;

    @Option(names = "--video-data", paramLabel = "JSONL",
            description = "Video calibration samples (S2): a video file or frame folder per line.")
    Path videoData;

    @Option(names = "--mixed-data", paramLabel = "JSONL", description = "Audio-with-video calibration samples (S3).")
    Path mixedData;

    @Option(names = "--calibration-samples", paramLabel = "N", defaultValue = "" + CalibrationSettings.DEFAULT_SAMPLES,
            description = "The first N samples (lines) of each data file; bad ones among them are reported and "
                    + "skipped (default: ${DEFAULT-VALUE}).")
    int samples;

    /** The data files given, by modality; each must exist. */
    public Map<Modality, Path> files() {
        Map<Modality, Path> files = new EnumMap<>(Modality.class);
        put(files, Modality.AUDIO, audioData);
        put(files, Modality.VIDEO, videoData);
        put(files, Modality.MIXED, mixedData);
        return files;
    }

    public int samples() {
        return samples;
    }

    private static void put(Map<Modality, Path> files, Modality modality, Path file) {
        if (file == null) {
            return;
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--" + modality.id() + "-data " + file + ": no such file");
        }
        files.put(modality, file);
    }
}
