package io.reapomni.calibrationservice;

import io.reapomni.calibration.TinyFixture;
import io.reapomni.common.storage.CopyListener;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.Segment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;

/**
 * Audio calibration data on the fixture model, written into a store as {@code audio.jsonl} with {@code speech.wav}:
 * samples 0 (the fixture's audio prompt with its clip) and 1 and 3 (text) are usable, sample 2 (an empty text) is not.
 * A blank line between samples 1 and 2 is no sample.
 */
final class FixtureCalibrationData {

    static final String FILE = "audio.jsonl";
    static final int SAMPLES = 4;

    private FixtureCalibrationData() {
    }

    static void write(ObjectStore folder) throws IOException {
        String lines = String.join("\n",
                "{\"id\": \"fixture-audio\", \"audio\": \"clips/speech.wav\", \"input_ids\": "
                        + Arrays.toString(TinyFixture.load().tokenIds("audio")) + "}",
                "{\"id\": \"greeting\", \"text\": \"Say hello to the model.\"}",
                "",
                "{\"id\": \"empty\", \"text\": \"\"}",
                "{\"id\": \"weather\", \"text\": \"Describe the weather.\", \"modality\": \"audio\"}") + "\n";
        folder.write(FILE, List.of(new Segment.Bytes(lines.getBytes(StandardCharsets.UTF_8))), CopyListener.NONE);
        folder.write("clips/speech.wav", List.of(new Segment.Bytes(Files.readAllBytes(TinyFixture.audioWav()))),
                CopyListener.NONE);
    }
}
