package io.reapomni.calibration.video;

import io.reapomni.calibration.tool.ToolFailure;
import io.reapomni.calibration.tool.ToolRun;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Samples and resizes frames with {@code ffmpeg} (Debian package {@code ffmpeg}): a video file at the processor's
 * frame rate, or a folder of images taken as already sampled frames in file-name order. Frames are scaled with
 * bicubic interpolation, as transformers' video processor resizes them.
 *
 * <p>Bounded in memory and time: a video whose sampled frames would exceed {@code maxFrames} is refused from its
 * duration before anything is decoded, and ffmpeg is stopped as soon as its output passes that many frames (a
 * duration can be missing or wrong); every run of ffmpeg or ffprobe, and so a file that makes either hang, is
 * stopped with every process it started at {@code toolTimeout}.
 */
public final class FfmpegFrameReader {
    private static final List<String> IMAGE_EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp", ".webp");
    private static final long PROBE_OUTPUT_BYTES = 64 * 1024;

    private final VideoProcessing processing;
    private final int maxFrames;
    private final Duration toolTimeout;

    public FfmpegFrameReader(VideoProcessing processing, int maxFrames, Duration toolTimeout) {
        if (maxFrames < 1) {
            throw new IllegalArgumentException("a video may have at least 1 sampled frame, not " + maxFrames);
        }
        this.processing = processing;
        this.maxFrames = maxFrames;
        this.toolTimeout = toolTimeout;
    }

    public RgbFrames read(Path source) throws VideoDecodingException {
        if (Files.isDirectory(source)) {
            return readFolder(source);
        }
        if (!Files.isRegularFile(source)) {
            throw new VideoDecodingException("missing video file " + source);
        }
        Probe probe = probe(source);
        Optional<Double> duration = probe.duration();
        if (duration.isPresent() && Math.round(duration.get() * processing.framesPerSecond()) > maxFrames) {
            throw tooLong(source, String.format(Locale.ROOT, "its %.1f s", duration.get()));
        }
        int[] size = resized(probe, source);
        String filter = String.format(Locale.ROOT, "fps=%s,%s", processing.framesPerSecond(), scale(size));
        long frameBytes = frameBytes(size);
        byte[] rgb = run(List.of("ffmpeg", "-v", "error", "-i", source.toString(), "-vf", filter, "-f", "rawvideo",
                "-pix_fmt", "rgb24", "-"), maxFrames * frameBytes, "decoding " + source, source);
        return frames(rgb, size, source);
    }

    private RgbFrames readFolder(Path folder) throws VideoDecodingException {
        List<Path> images = images(folder);
        if (images.isEmpty()) {
            throw new VideoDecodingException("the frame folder " + folder + " holds no images " + IMAGE_EXTENSIONS);
        }
        if (images.size() > maxFrames) {
            throw tooLong(folder, "its " + images.size() + " images");
        }
        int[] size = resized(probe(images.get(0)), images.get(0));
        int frameBytes = Math.toIntExact(frameBytes(size));
        byte[] all = new byte[Math.multiplyExact(images.size(), frameBytes)];
        for (int i = 0; i < images.size(); i++) {
            Path image = images.get(i);
            byte[] frame = run(List.of("ffmpeg", "-v", "error", "-i", image.toString(), "-vf", scale(size),
                    "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"), frameBytes, "decoding " + image,
                    image);
            if (frame.length != frameBytes) {
                throw new VideoDecodingException("ffmpeg gave " + frame.length + " bytes for " + image + ", not one "
                        + size[1] + "x" + size[0] + " frame");
            }
            System.arraycopy(frame, 0, all, i * frameBytes, frameBytes);
        }
        return frames(all, size, folder);
    }

    private VideoDecodingException tooLong(Path source, String what) {
        return new VideoDecodingException(source + " is too long: " + what + " give more than " + maxFrames
                + " frames at " + processing.framesPerSecond() + " frames a second, the most sampled frames a video"
                + " may have (README, Limits and guarantees)");
    }

    private static List<Path> images(Path folder) throws VideoDecodingException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(Files::isRegularFile)
                    .filter(path -> IMAGE_EXTENSIONS.stream().anyMatch(
                            extension -> path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(extension)))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new VideoDecodingException("cannot list the frame folder " + folder + ": " + e.getMessage(), e);
        }
    }

    /** What ffprobe says of the first video stream: its size, and the container's duration where it knows one. */
    private record Probe(int width, int height, Optional<Double> duration) {
    }

    private Probe probe(Path source) throws VideoDecodingException {
        String probed = new String(run(List.of("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                "stream=width,height:format=duration", "-of", "default=noprint_wrappers=1", source.toString()),
                PROBE_OUTPUT_BYTES, "probing " + source, source), StandardCharsets.UTF_8);
        Optional<String> width = value(probed, "width");
        Optional<String> height = value(probed, "height");
        if (width.isEmpty() || height.isEmpty()) {
            throw new VideoDecodingException(source + " has no video stream");
        }
        try {
            Optional<Double> duration = value(probed, "duration").filter(text -> !text.equals("N/A"))
                    .map(Double::parseDouble).filter(seconds -> seconds >= 0 && Double.isFinite(seconds));
            return new Probe(Integer.parseInt(width.get()), Integer.parseInt(height.get()), duration);
        } catch (NumberFormatException e) {
            throw new VideoDecodingException("ffprobe describes " + source + " in a way this reader does not"
                    + " understand: " + probed.trim(), e);
        }
    }

    private static Optional<String> value(String probed, String key) {
        return probed.lines().filter(line -> line.startsWith(key + "=")).findFirst()
                .map(line -> line.substring(key.length() + 1).trim());
    }

    /** {height, width} after smart_resize of the source's first video stream. */
    private int[] resized(Probe probe, Path source) throws VideoDecodingException {
        try {
            return processing.resizedFrame(probe.height(), probe.width());
        } catch (IllegalArgumentException e) {
            throw new VideoDecodingException(source + ": " + e.getMessage(), e);
        }
    }

    private static long frameBytes(int[] size) {
        return (long) size[0] * size[1] * 3;
    }

    private static String scale(int[] size) {
        return "scale=" + size[1] + ":" + size[0] + ":flags=bicubic";
    }

    private static RgbFrames frames(byte[] rgb, int[] size, Path source) throws VideoDecodingException {
        long frameBytes = frameBytes(size);
        if (rgb.length == 0 || rgb.length % frameBytes != 0) {
            throw new VideoDecodingException("ffmpeg gave " + rgb.length + " bytes for " + source + ", not whole "
                    + size[1] + "x" + size[0] + " frames");
        }
        return new RgbFrames((int) (rgb.length / frameBytes), size[0], size[1], rgb);
    }

    private byte[] run(List<String> command, long outputLimit, String doing, Path source)
            throws VideoDecodingException {
        try {
            return new ToolRun(command, toolTimeout, outputLimit, doing).output();
        } catch (ToolFailure e) {
            throw new VideoDecodingException(switch (e.kind()) {
                case NOT_STARTED -> e.getMessage() + ": video calibration needs ffmpeg, e.g. apt-get install ffmpeg";
                case TIMED_OUT -> e.getMessage() + " (the tool timeout: README, Limits and guarantees)";
                case TOO_MUCH_OUTPUT -> tooLong(source, "its frames").getMessage();
                case FAILED -> e.getMessage();
            }, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VideoDecodingException("interrupted while " + doing, e);
        }
    }
}
