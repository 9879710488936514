package io.reapomni.cli.calibrate;

import io.reapomni.calibration.data.MediaLimits;
import picocli.CommandLine.Option;

import java.time.Duration;

/**
 * --max-audio-seconds, --max-video-frames and --tool-timeout: what one sample's media may cost (README, "Limits and
 * guarantees"); a sample past a limit is skipped and reported.
 */
public final class MediaLimitFlags {
    @Option(names = "--max-audio-seconds", paramLabel = "S", defaultValue = "300",
            description = "Skip audio clips longer than this (default: ${DEFAULT-VALUE}).")
    long maxAudioSeconds;

    @Option(names = "--max-video-frames", paramLabel = "N", defaultValue = "64",
            description = "Skip videos that give more frames than this at the processor's frame rate"
                    + " (default: ${DEFAULT-VALUE}).")
    int maxVideoFrames;

    @Option(names = "--tool-timeout", paramLabel = "S", defaultValue = "120",
            description = "Stop ffmpeg or ffprobe after this long on one file and skip its sample"
                    + " (default: ${DEFAULT-VALUE}).")
    long toolTimeoutSeconds;

    /** @throws IllegalArgumentException naming the flag whose value is out of range */
    MediaLimits limits() {
        if (maxAudioSeconds < 1) {
            throw new IllegalArgumentException("--max-audio-seconds must be at least 1, not " + maxAudioSeconds);
        }
        if (maxVideoFrames < 1) {
            throw new IllegalArgumentException("--max-video-frames must be at least 1, not " + maxVideoFrames);
        }
        if (toolTimeoutSeconds < 1) {
            throw new IllegalArgumentException("--tool-timeout must be at least 1 second, not " + toolTimeoutSeconds);
        }
        return new MediaLimits(Duration.ofSeconds(maxAudioSeconds), maxVideoFrames,
                Duration.ofSeconds(toolTimeoutSeconds), MediaLimits.DEFAULTS.maxMediaBytes());
    }
}
