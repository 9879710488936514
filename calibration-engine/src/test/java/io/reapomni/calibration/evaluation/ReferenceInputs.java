package io.reapomni.calibration.evaluation;

import io.reapomni.calibration.CalibrationSlice;
import io.reapomni.calibration.TinyFixture;
import io.reapomni.common.evaluation.QualityReport;
import io.reapomni.common.job.Modality;
import io.reapomni.common.job.SampleRange;
import io.reapomni.common.storage.LocalObjectStore;
import io.reapomni.common.storage.ObjectStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;

/**
 * The fixture's {@code text} and {@code audio} reference inputs, on which transformers computed
 * {@code evaluation-reference.json}, as the JSONL file {@value #FILE} (the audio with audio.wav), and evaluations of
 * its first samples.
 */
public final class ReferenceInputs {
    public static final String FILE = "reference.jsonl";

    private ReferenceInputs() {
    }

    public static Path write(Path data) throws IOException {
        TinyFixture fixture = TinyFixture.load();
        Files.createDirectories(data);
        Files.copy(TinyFixture.audioWav(), data.resolve("speech.wav"), StandardCopyOption.REPLACE_EXISTING);
        Files.write(data.resolve(FILE), List.of(
                "{\"id\": \"text\", \"modality\": \"audio\", \"input_ids\": "
                        + Arrays.toString(fixture.tokenIds("text")) + "}",
                "{\"id\": \"audio\", \"modality\": \"audio\", \"audio\": \"speech.wav\", \"input_ids\": "
                        + Arrays.toString(fixture.tokenIds("audio")) + "}"));
        return data;
    }

    /** The first {@code samples} lines of {@value #FILE} in {@code data}, {@code pruned} against {@code original}. */
    static QualityReport evaluate(Path original, Path pruned, Path data, int samples, EvaluationOptions options)
            throws Exception {
        return evaluate(new LocalObjectStore(original), new LocalObjectStore(pruned), new LocalObjectStore(data),
                samples, options);
    }

    /** The same from any stores, which it closes. */
    static QualityReport evaluate(ObjectStore original, ObjectStore pruned, ObjectStore data, int samples,
                                  EvaluationOptions options) throws Exception {
        try (original; pruned; data; Evaluation evaluation = Evaluation.open(original, pruned)) {
            return evaluation.run(new CalibrationSlice(Modality.AUDIO, data, FILE, new SampleRange(0, samples)),
                    options, EvaluationListener.NONE);
        }
    }
}
