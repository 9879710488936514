package io.reapomni.calibration.data;

import io.reapomni.calibration.TinyFixture;
import io.reapomni.common.job.Modality;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The fixture's audio input (5 text ids, the audio block of audio.wav, 6 text ids) as a pre-tokenised sample. */
class FixturePromptTest {
    @Test
    void theReferenceAudioInputIsAcceptedWithItsEighteenPads(@TempDir Path dir) throws Exception {
        int[] reference = TinyFixture.load().tokenIds("audio");
        Files.copy(TinyFixture.audioWav(), dir.resolve("audio.wav"));
        Path jsonl = Files.write(dir.resolve("audio.jsonl"), List.of("{\"id\": \"fixture\", \"modality\": \"audio\", "
                + "\"audio\": \"audio.wav\", \"input_ids\": " + Arrays.toString(reference) + "}"));

        try (CalibrationDataLoader loader = CalibrationDataLoader.forModel(TinyFixture.modelStore())) {
            CalibrationData data = loader.load(jsonl, Modality.AUDIO, 1);

            assertThat(data.skipped()).isEmpty();
            PreparedSample sample = data.samples().get(0);
            assertThat(sample.modality()).isEqualTo(Modality.AUDIO);
            assertThat(sample.audio().orElseThrow().start()).isEqualTo(6);
            assertThat(sample.audio().orElseThrow().count()).isEqualTo(18);
            assertThat(sample.inputIds()).hasSize(31).containsExactly(reference);
            assertThat(sample.audio().orElseThrow().media().frames()).isEqualTo(137);
        }
    }
}
