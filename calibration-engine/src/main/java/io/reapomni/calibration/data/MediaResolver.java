package io.reapomni.calibration.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where the media a calibration line names ({@code "audio": "clips/a.wav"}, relative to its JSONL file's folder) can
 * be read as a local file or folder: the audio decoder and ffmpeg read only local paths.
 */
@FunctionalInterface
public interface MediaResolver {

    /**
     * @throws SampleRejectedException when the line's reference cannot name media of that folder
     * @throws IOException             when the store holding the media cannot be read
     */
    Path resolve(String reference) throws SampleRejectedException, IOException;

    /** Media beside a local JSONL file, read in place; whether they exist is checked when they are decoded. */
    static MediaResolver localFolder(Path folder) {
        return reference -> folder.resolve(reference).normalize();
    }
}
