package io.reapomni.calibration;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Test videos that ffmpeg generates, and whether ffmpeg is there to generate and read them. */
public final class TestVideos {
    private TestVideos() {
    }

    public static boolean ffmpegInstalled() {
        return onPath("ffmpeg") && onPath("ffprobe");
    }

    /** ffmpeg's {@code testsrc} pattern: {@code width}x{@code height} at 10 frames a second for {@code seconds}. */
    public static Path testPattern(Path file, int width, int height, double seconds)
            throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                "testsrc=size=" + width + "x" + height + ":rate=10:duration=" + seconds, "-pix_fmt", "yuv420p",
                file.toString())).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IOException("ffmpeg could not write " + file + ": " + output);
        }
        return file;
    }

    private static boolean onPath(String tool) {
        try {
            Process process = new ProcessBuilder(tool, "-version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
