package io.reapomni.calibration.video;

import io.reapomni.calibration.vision.VideoPatches;

import java.nio.file.Path;
import java.time.Duration;

/** A video file or frame folder as the vision tower's patches: frames through ffmpeg, then patch rows. */
public final class VideoPatchReader {
    private final FfmpegFrameReader frames;
    private final VideoPatchifier patchifier;

    /** @see FfmpegFrameReader */
    public VideoPatchReader(VideoProcessing processing, int maxFrames, Duration toolTimeout) {
        this.frames = new FfmpegFrameReader(processing, maxFrames, toolTimeout);
        this.patchifier = new VideoPatchifier(processing);
    }

    public VideoPatches read(Path source) throws VideoDecodingException {
        return patchifier.patches(frames.read(source));
    }
}
