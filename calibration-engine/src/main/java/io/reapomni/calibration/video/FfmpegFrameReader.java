package io.reapomni.calibration.video;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Samples and resizes frames with {@code ffmpeg} (Debian package {@code ffmpeg}): a video file at the processor's
 * frame rate, or a folder of images taken as already sampled frames in file-name order. Frames are scaled with
 * bicubic interpolation, as transformers' video processor resizes them.
 */
public final class FfmpegFrameReader {
    private static final List<String> IMAGE_EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp", ".webp");

    private final VideoProcessing processing;

    public FfmpegFrameReader(VideoProcessing processing) {
        this.processing = processing;
    }

    public RgbFrames read(Path source) throws VideoDecodingException {
        if (Files.isDirectory(source)) {
            return readFolder(source);
        }
        if (!Files.isRegularFile(source)) {
            throw new VideoDecodingException("missing video file " + source);
        }
        int[] size = resized(source);
        String filter = String.format(Locale.ROOT, "fps=%s,%s", processing.framesPerSecond(), scale(size));
        byte[] rgb = run(List.of("ffmpeg", "-v", "error", "-i", source.toString(), "-vf", filter, "-f", "rawvideo",
                "-pix_fmt", "rgb24", "-"), source);
        return frames(rgb, size, source);
    }

    private RgbFrames readFolder(Path folder) throws VideoDecodingException {
        List<Path> images = images(folder);
        if (images.isEmpty()) {
            throw new VideoDecodingException("the frame folder " + folder + " holds no images " + IMAGE_EXTENSIONS);
        }
        int[] size = resized(images.get(0));
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Path image : images) {
            all.writeBytes(run(List.of("ffmpeg", "-v", "error", "-i", image.toString(), "-vf", scale(size),
                    "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"), image));
        }
        return frames(all.toByteArray(), size, folder);
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

    /** {height, width} after smart_resize of the source's first video stream. */
    private int[] resized(Path source) throws VideoDecodingException {
        String probed = new String(run(List.of("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                "stream=width,height", "-of", "csv=p=0", source.toString()), source), StandardCharsets.UTF_8).trim();
        String[] parts = probed.split(",");
        if (parts.length < 2) {
            throw new VideoDecodingException(source + " has no video stream");
        }
        try {
            return processing.resizedFrame(Integer.parseInt(parts[1].trim()), Integer.parseInt(parts[0].trim()));
        } catch (IllegalArgumentException e) {
            throw new VideoDecodingException(source + ": " + e.getMessage(), e);
        }
    }

    private static String scale(int[] size) {
        return "scale=" + size[1] + ":" + size[0] + ":flags=bicubic";
    }

    private static RgbFrames frames(byte[] rgb, int[] size, Path source) throws VideoDecodingException {
        int frameBytes = size[0] * size[1] * 3;
        if (rgb.length == 0 || rgb.length % frameBytes != 0) {
            throw new VideoDecodingException("ffmpeg gave " + rgb.length + " bytes for " + source + ", not whole "
                    + size[1] + "x" + size[0] + " frames");
        }
        return new RgbFrames(rgb.length / frameBytes, size[0], size[1], rgb);
    }

    private static byte[] run(List<String> command, Path source) throws VideoDecodingException {
        Process process;
        try {
            process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(false).start();
        } catch (IOException e) {
            throw new VideoDecodingException(command.get(0) + " is not installed or cannot run (" + e.getMessage()
                    + "): video calibration needs ffmpeg, e.g. apt-get install ffmpeg", e);
        }
        try (InputStream output = process.getInputStream(); InputStream errors = process.getErrorStream()) {
            process.getOutputStream().close();
            // stderr is drained on its own thread so that a chatty ffmpeg never blocks on a full pipe
            ByteArrayOutputStream errorText = new ByteArrayOutputStream();
            Thread drain = new Thread(() -> {
                try {
                    errors.transferTo(errorText);
                } catch (IOException ignored) {
                    // the exit status reports the failure
                }
            });
            drain.start();
            byte[] bytes = output.readAllBytes();
            int status = process.waitFor();
            drain.join();
            if (status != 0) {
                throw new VideoDecodingException(command.get(0) + " cannot decode " + source + ": "
                        + errorText.toString(StandardCharsets.UTF_8).trim());
            }
            return bytes;
        } catch (IOException e) {
            throw new VideoDecodingException("reading " + command.get(0) + "'s output for " + source + ": "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new VideoDecodingException("interrupted while decoding " + source, e);
        }
    }
}
