package io.reapomni.devtools.calibrationdata;

import java.nio.file.Path;
import java.util.Random;

/** Writes the audio clips of generated calibration data as WAV files. */
public interface SpeechClipWriter {

    /**
     * Writes a clip saying {@code utterance}, or standing in for it, to {@code file}, varied by {@code variation}
     * (which must be the only source of chance, so that a seed fixes the clip). Returns the clip's length in seconds.
     */
    double write(Path file, String utterance, Random variation) throws SampleGenerationException;

    ClipSource source();
}
