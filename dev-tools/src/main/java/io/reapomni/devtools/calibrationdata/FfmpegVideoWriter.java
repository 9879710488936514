package io.reapomni.devtools.calibrationdata;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * Short, small MP4 clips of ffmpeg's synthetic sources (Debian package ffmpeg): patterns that move or change, a few
 * seconds each. Small frames are enough: the video processor scales every frame to its minimum pixel budget.
 */
public final class FfmpegVideoWriter implements VideoClipWriter {
    private static final List<String> SOURCES = List.of("testsrc", "testsrc2", "mandelbrot", "smptebars",
            "rgbtestsrc");
    private static final List<String> SIZES = List.of("64x64", "96x64", "64x96", "80x48");
    private static final int FRAMES_PER_SECOND = 10;
    private static final int SHORTEST_SECONDS = 2;
    private static final int LONGEST_SECONDS = 4;

    private final Duration timeout;

    /** @param timeout how long ffmpeg may take on one clip */
    public FfmpegVideoWriter(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public Path write(Path folder, String name, Random variation) throws SampleGenerationException {
        String source = SOURCES.get(variation.nextInt(SOURCES.size()));
        String size = SIZES.get(variation.nextInt(SIZES.size()));
        int seconds = variation.nextInt(SHORTEST_SECONDS, LONGEST_SECONDS + 1);
        Path file = folder.resolve(name + ".mp4");
        // -t rather than the source's duration option: mandelbrot has none. Bit-exact flags keep a seed's clips
        // byte for byte the same on every run.
        ExternalTool.FFMPEG.run(List.of("-v", "error", "-y", "-f", "lavfi", "-i",
                source + "=size=" + size + ":rate=" + FRAMES_PER_SECOND, "-t", Integer.toString(seconds),
                "-pix_fmt", "yuv420p", "-fflags", "+bitexact", "-flags:v", "+bitexact", "-threads", "1",
                file.toString()), timeout);
        return file;
    }

    @Override
    public ClipSource source() {
        return ClipSource.FFMPEG;
    }
}
