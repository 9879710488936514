package io.reapomni.calibration.data;

import io.reapomni.calibration.audio.AudioTokenCount;
import io.reapomni.calibration.TinyFixture;
import io.reapomni.calibration.audio.WavDecoder;
import io.reapomni.calibration.audio.WhisperLogMel;
import io.reapomni.common.job.Modality;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A real spoken clip from espeak-ng (22.05 kHz), when the machine has it. */
class SpeechClipTest {
    @Test
    void aSpokenSentenceBecomesAudioTokens(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/espeak-ng")), "espeak-ng is not installed");
        Path wav = dir.resolve("speech.wav");
        Process espeak = new ProcessBuilder("/usr/bin/espeak-ng", "-w", wav.toString(),
                "Calibration runs the model over real speech.").redirectErrorStream(true).start();
        assertThat(espeak.waitFor()).isZero();
        int rate = WavDecoder.decode(wav).sampleRate();
        int samplesAt16k = (int) Math.round(WavDecoder.decode(wav).length() * 16_000.0 / rate);
        Path jsonl = Files.write(dir.resolve("speech.jsonl"), List.of(
                "{\"id\": \"spoken\", \"text\": \"Transcribe it.\", \"modality\": \"audio\", \"audio\": \"speech.wav\"}"));

        try (CalibrationDataLoader loader = CalibrationDataLoader.forModel(TinyFixture.modelStore())) {
            PreparedSample sample = loader.load(jsonl, Modality.AUDIO, 1).samples().get(0);

            int frames = WhisperLogMel.frameCount(samplesAt16k);
            assertThat(sample.audio().orElseThrow().media().frames()).isEqualTo(frames);
            assertThat(sample.audio().orElseThrow().count()).isEqualTo(AudioTokenCount.forFrames(frames));
            // About 13 tokens per second of speech.
            assertThat(sample.audio().orElseThrow().count()).isBetween(samplesAt16k * 12 / 16_000, samplesAt16k * 14 / 16_000 + 1);
        }
    }
}
