package io.reapomni.calibration.data;

import io.reapomni.calibration.TinyFixture;
import io.reapomni.common.storage.LocalObjectStore;
import io.reapomni.testfixtures.TinyQwen3Omni;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelTokenizerTest {
    @Test
    void specialTokensOfTheFixtureSitAtTheIdsItsReadmeLists() throws Exception {
        try (ModelTokenizer tokenizer = ModelTokenizer.load(TinyFixture.modelStore())) {
            assertThat(tokenizer.encode("<|im_end|><|im_start|>user<|vision_end|><|vision_start|><|video_pad|>"
                    + "<|image_pad|><|audio_end|><|audio_start|><|audio_pad|>"))
                    .containsExactly(1014, 1015, 1016, 1017, 1018, 1019, 1020, 1021, 1022, 1023);
            assertThat(tokenizer.addedTokenId("<|audio_end|>")).hasValue(1021);
            assertThat(tokenizer.addedTokenId("<|no_such_token|>")).isEmpty();
        }
    }

    @Test
    void textRoundTrips() throws Exception {
        byte[] json = Files.readAllBytes(TinyQwen3Omni.model().resolve("tokenizer.json"));
        try (ModelTokenizer tokenizer = ModelTokenizer.fromBytes(json, "tokenizer.json")) {
            String text = "The quick brown fox, 42 times: naïve café!\nSecond line.";
            int[] ids = tokenizer.encode(text);
            assertThat(ids.length).isGreaterThan(5);
            assertThat(java.util.Arrays.stream(ids).boxed().toList()).allMatch(id -> id >= 0 && id < 1024);
            assertThat(tokenizer.decode(ids)).isEqualTo(text);
        }
    }

    @Test
    void longTextIsNotTruncated() throws Exception {
        try (ModelTokenizer tokenizer = ModelTokenizer.load(TinyFixture.modelStore())) {
            String word = "<|audio_pad|>";
            assertThat(tokenizer.encode(word.repeat(5000))).hasSize(5000);
        }
    }

    @Test
    void aModelWithoutTokenizerNamesTheMissingFile(@TempDir Path model) {
        assertThatThrownBy(() -> ModelTokenizer.load(new LocalObjectStore(model)))
                .isInstanceOf(CalibrationDataException.class)
                .hasMessageContaining(model.resolve("tokenizer.json").toString())
                .hasMessageContaining("no tokenizer");
    }

    @Test
    void bytesThatAreNotATokenizerAreRefused() {
        assertThatThrownBy(() -> ModelTokenizer.fromBytes("{\"x\":".getBytes(), "broken.json"))
                .isInstanceOf(CalibrationDataException.class).hasMessageStartingWith("broken.json");
        assertThatThrownBy(() -> ModelTokenizer.fromBytes("{\"model\": 3}".getBytes(), "odd.json"))
                .isInstanceOf(CalibrationDataException.class).hasMessageStartingWith("odd.json");
    }
}
