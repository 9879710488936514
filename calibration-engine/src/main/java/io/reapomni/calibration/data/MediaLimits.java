package io.reapomni.calibration.data;

import java.time.Duration;

/**
 * What one sample's media may cost: the longest audio clip, the most sampled frames of a video, and how long ffmpeg
 * or ffprobe may take on one file. A sample past a limit is skipped with the reason; the run goes on. README,
 * "Limits and guarantees", lists them with what each costs in memory.
 *
 * @param maxAudio       the longest audio clip (decoding holds about 0.5 MB of heap per second of it)
 * @param maxVideoFrames the most frames a video may give at the processor's frame rate (about 12 MB of heap each at
 *                       the default largest frame size, 768 × 32² pixels; less for smaller frames)
 * @param toolTimeout    how long one run of ffmpeg or ffprobe may take before it is stopped
 * @param maxMediaBytes  the most bytes of media one sample may name in a store (an audio file, a video file or a
 *                       folder of frames in all), which a calibration worker downloads before decoding
 */
public record MediaLimits(Duration maxAudio, int maxVideoFrames, Duration toolTimeout, long maxMediaBytes) {

    public static final MediaLimits DEFAULTS = new MediaLimits(Duration.ofMinutes(5), 64, Duration.ofMinutes(2),
            1L << 30);

    public MediaLimits {
        if (maxAudio.isNegative() || maxAudio.isZero()) {
            throw new IllegalArgumentException("the longest audio clip must be positive, not " + maxAudio);
        }
        if (maxVideoFrames < 1) {
            throw new IllegalArgumentException("a video must be allowed at least 1 frame, not " + maxVideoFrames);
        }
        if (toolTimeout.isNegative() || toolTimeout.isZero()) {
            throw new IllegalArgumentException("the tool timeout must be positive, not " + toolTimeout);
        }
        if (maxMediaBytes < 1) {
            throw new IllegalArgumentException("a sample's media must be allowed at least 1 byte, not "
                    + maxMediaBytes);
        }
    }
}
