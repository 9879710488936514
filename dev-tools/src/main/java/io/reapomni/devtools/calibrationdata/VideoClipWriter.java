package io.reapomni.devtools.calibrationdata;

import java.nio.file.Path;
import java.util.Random;

/** Writes the videos of generated calibration data: a video file or a folder of frames. */
public interface VideoClipWriter {

    /**
     * Writes a short clip named {@code name} (no extension) into {@code folder}, varied by {@code variation} (which
     * must be the only source of chance, so that a seed fixes the clip). Returns the file or folder written.
     */
    Path write(Path folder, String name, Random variation) throws SampleGenerationException;

    ClipSource source();
}
