package io.reapomni.calibration.data;

import io.reapomni.common.job.Modality;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One well-formed JSONL line: its text or ids and the media it names (an audio file; a video file or frame folder),
 * resolved against the JSONL's folder.
 */
public record CalibrationSample(String id, int line, Modality modality, SampleContent content, Optional<Path> audio,
                                Optional<Path> video) {
}
