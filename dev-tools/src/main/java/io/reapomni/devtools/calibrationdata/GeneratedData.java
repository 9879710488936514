package io.reapomni.devtools.calibrationdata;

import io.reapomni.common.job.Modality;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What {@link CalibrationDataGenerator} wrote: one JSONL file per data set with {@code samples} lines each, over
 * {@code speechClips} audio clips of {@code audioSeconds} in all (the mixed data reuses them) and {@code videoClips}
 * videos, the tools that made them, and every clip and sample left out because a tool failed on it (a timeout, an
 * error), with the reason.
 */
public record GeneratedData(Map<Modality, Path> files, Map<Modality, Integer> samples, int speechClips,
                            double audioSeconds, int videoClips, ClipSource speech, ClipSource video,
                            List<String> skipped) {
    public GeneratedData {
        files = Map.copyOf(files);
        samples = Map.copyOf(samples);
        skipped = List.copyOf(skipped);
    }

    public Path file(Modality dataSet) {
        return files.get(dataSet);
    }

    public int samples(Modality dataSet) {
        return samples.get(dataSet);
    }

    /** One message per tool that was missing and what stood in for it; empty when every tool was there. */
    public List<String> fallbackNotices() {
        return Stream.of(speech.fallbackNotice(), video.fallbackNotice())
                .flatMap(Optional::stream)
                .toList();
    }
}
