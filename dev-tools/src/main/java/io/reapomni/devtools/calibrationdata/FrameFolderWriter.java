package io.reapomni.devtools.calibrationdata;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * A video as a folder of PNG frames, drawn here when ffmpeg is missing: a shape crossing a gradient, one frame per
 * second of the video processor's sampling, so that the frames change as a real clip's would.
 */
public final class FrameFolderWriter implements VideoClipWriter {
    private static final int WIDTH = 64;
    private static final int HEIGHT = 64;
    private static final int FEWEST_FRAMES = 2;
    private static final int MOST_FRAMES = 4;
    private static final int SHAPE_SIZE = 20;

    @Override
    public Path write(Path folder, String name, Random variation) throws SampleGenerationException {
        Path frames = folder.resolve(name);
        int count = variation.nextInt(FEWEST_FRAMES, MOST_FRAMES + 1);
        Color top = randomColor(variation);
        Color bottom = randomColor(variation);
        Color shape = randomColor(variation);
        boolean round = variation.nextBoolean();
        try {
            Files.createDirectories(frames);
            for (int frame = 0; frame < count; frame++) {
                int x = (WIDTH - SHAPE_SIZE) * frame / (count - 1);
                int y = (HEIGHT - SHAPE_SIZE) / 2;
                BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
                Graphics2D graphics = image.createGraphics();
                graphics.setPaint(new GradientPaint(0, 0, top, 0, HEIGHT, bottom));
                graphics.fillRect(0, 0, WIDTH, HEIGHT);
                graphics.setColor(shape);
                if (round) {
                    graphics.fillOval(x, y, SHAPE_SIZE, SHAPE_SIZE);
                } else {
                    graphics.fillRect(x, y, SHAPE_SIZE, SHAPE_SIZE);
                }
                graphics.dispose();
                // Zero-padded numbers: the data loader takes frames in file-name order.
                ImageIO.write(image, "png", frames.resolve(String.format("frame-%02d.png", frame)).toFile());
            }
        } catch (IOException e) {
            throw new SampleGenerationException("cannot write the frames of " + frames + ": " + e.getMessage(), e);
        }
        return frames;
    }

    @Override
    public ClipSource source() {
        return ClipSource.GENERATED_FRAMES;
    }

    private static Color randomColor(Random variation) {
        return new Color(variation.nextInt(256), variation.nextInt(256), variation.nextInt(256));
    }
}
