package io.reapomni.calibration.video;

import io.reapomni.calibration.TestVideos;
import io.reapomni.calibration.TinyFixture;
import io.reapomni.calibration.vision.VideoPatches;
import io.reapomni.calibration.vision.VisionConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/** Frames of a video that ffmpeg generates, through sampling, resizing, normalisation and patching. */
class FfmpegVideoPipelineTest {
    private static VideoProcessing processing;

    @BeforeAll
    static void requireFfmpeg() throws IOException {
        assumeThat(TestVideos.ffmpegInstalled()).as("ffmpeg is installed").isTrue();
        // sampled at 2 frames a second, so that two seconds make two frame groups
        VisionConfig vision = VisionConfig.of(TinyFixture.load().config);
        processing = new VideoProcessing(vision.patchSize(), vision.spatialMergeSize(), vision.temporalPatchSize(),
                2.0, 128 * 32 * 32, 768 * 32 * 32, VideoProcessing.CLIP_MEAN, VideoProcessing.CLIP_STD);
    }

    @Test
    void aTwoSecondTestPatternGivesFourFramesOfTheProcessorsSize(@TempDir Path dir) throws Exception {
        Path video = testPattern(dir, 2);

        RgbFrames frames = new FfmpegFrameReader(processing, 64, Duration.ofMinutes(2)).read(video);
        VideoPatches patches = new VideoPatchifier(processing).patches(frames);

        // 2 s at 2 frames a second; 320x240 is below min_pixels (128 * 32²), so smart_resize scales it up by
        // sqrt(131072 / 76800) and rounds each side up to a multiple of 32: 448x320
        assertThat(frames.frames()).isEqualTo(4);
        assertThat(frames.height()).isEqualTo(320);
        assertThat(frames.width()).isEqualTo(448);
        assertThat(patches.grid().temporal()).isEqualTo(2);
        assertThat(patches.grid().height()).isEqualTo(20);
        assertThat(patches.grid().width()).isEqualTo(28);
        assertThat(patches.patchValues()).isEqualTo(3 * 2 * 16 * 16);
        assertThat(patches.grid().tokens(2)).isEqualTo(2 * 10 * 14);
        assertThat(patches.secondsPerGrid()).isEqualTo(1.0f);
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float value : patches.values()) {
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
        // (0 - mean) / std and (1 - mean) / std over the CLIP channels bound every value; the test pattern's pure
        // colours reach close to both ends
        assertThat(min).isBetween(-1.7923f, -1.5f);
        assertThat(max).isBetween(1.9f, 2.1460f);
    }

    @Test
    void anOddFrameCountIsPaddedWithTheLastFrame(@TempDir Path dir) throws Exception {
        Path video = testPattern(dir, 1.5);
        RgbFrames frames = new FfmpegFrameReader(processing, 64, Duration.ofMinutes(2)).read(video);
        assertThat(frames.frames()).isEqualTo(3);
        VideoPatches patches = new VideoPatchifier(processing).patches(frames);
        assertThat(patches.grid().temporal()).isEqualTo(2);
        // the second group's two frames are both the third frame: its two temporal halves of a patch are equal
        float[] values = patches.values();
        int half = 16 * 16;
        int secondGroupFirstPatch = patches.grid().patchesPerFrame() * patches.patchValues();
        for (int i = 0; i < half; i++) {
            assertThat(values[secondGroupFirstPatch + half + i]).isEqualTo(values[secondGroupFirstPatch + i]);
        }
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) {
        assertThatThrownBy(() -> new FfmpegFrameReader(processing, 64, Duration.ofMinutes(2)).read(dir.resolve("none.mp4")))
                .isInstanceOf(VideoDecodingException.class).hasMessageContaining("none.mp4");
    }

    @Test
    void aVideoWithMoreFramesThanTheLimitIsRefusedFromItsDuration(@TempDir Path dir) throws Exception {
        Path video = testPattern(dir, 2);

        assertThatThrownBy(() -> new FfmpegFrameReader(processing, 3, Duration.ofMinutes(2)).read(video))
                .isInstanceOf(VideoDecodingException.class)
                .hasMessage(video + " is too long: its 2.0 s give more than 3 frames at 2.0 frames a second, the most"
                        + " sampled frames a video may have (README, Limits and guarantees)");
    }

    @Test
    void aVideoWithoutADurationIsStoppedOnceItsFramesPassTheLimit(@TempDir Path dir) throws Exception {
        // A raw H.264 stream has no container to tell its duration: only the decoded frames show its length.
        Path stream = dir.resolve("pattern.h264");
        Process encode = new ProcessBuilder("ffmpeg", "-v", "error", "-y", "-i", testPattern(dir, 3).toString(),
                "-f", "h264", stream.toString()).redirectErrorStream(true).start();
        encode.getInputStream().readAllBytes();
        assertThat(encode.waitFor()).isZero();

        assertThat(new FfmpegFrameReader(processing, 6, Duration.ofMinutes(2)).read(stream).frames()).isEqualTo(6);
        assertThatThrownBy(() -> new FfmpegFrameReader(processing, 5, Duration.ofMinutes(2)).read(stream))
                .isInstanceOf(VideoDecodingException.class)
                .hasMessageStartingWith(stream + " is too long: its frames give more than 5 frames");
    }

    @Test
    void aFrameFolderWithMoreImagesThanTheLimitIsRefusedBeforeAnyIsDecoded(@TempDir Path dir) throws Exception {
        Path frames = java.nio.file.Files.createDirectories(dir.resolve("frames"));
        for (int i = 0; i < 4; i++) {
            java.nio.file.Files.writeString(frames.resolve("frame-" + i + ".png"), "not decoded");
        }

        assertThatThrownBy(() -> new FfmpegFrameReader(processing, 3, Duration.ofMinutes(2)).read(frames))
                .isInstanceOf(VideoDecodingException.class)
                .hasMessageStartingWith(frames + " is too long: its 4 images give more than 3 frames");
    }

    @Test
    void ffmpegRunningPastTheToolTimeoutIsStoppedAndNamed(@TempDir Path dir) throws Exception {
        Path video = testPattern(dir, 2);

        // No program starts, let alone probes a video, within a millisecond.
        assertThatThrownBy(() -> new FfmpegFrameReader(processing, 64, Duration.ofMillis(1)).read(video))
                .isInstanceOf(VideoDecodingException.class)
                .hasMessage("ffprobe did not finish probing " + video + " within 0.001 s and was stopped (the tool"
                        + " timeout: README, Limits and guarantees)");
    }

    private static Path testPattern(Path dir, double seconds) throws Exception {
        return TestVideos.testPattern(dir.resolve("pattern.mp4"), 320, 240, seconds);
    }
}
