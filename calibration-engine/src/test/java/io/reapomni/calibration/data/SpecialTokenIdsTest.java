package io.reapomni.calibration.data;

import com.fasterxml.jackson.databind.node.IntNode;
import io.reapomni.calibration.TinyFixture;
import io.reapomni.common.checkpoint.ModelConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpecialTokenIdsTest {
    private ModelConfig config;
    private ModelTokenizer tokenizer;

    @BeforeEach
    void load() throws Exception {
        config = TinyFixture.load().config;
        tokenizer = ModelTokenizer.load(TinyFixture.modelStore());
    }

    @AfterEach
    void close() {
        tokenizer.close();
    }

    @Test
    void theFixtureIdsComeFromTheConfigAndForMissingKeysFromTheTokenizer() throws Exception {
        assertThat(config.at("/thinker_config/audio_end_token_id").isMissingNode()).isTrue();

        assertThat(SpecialTokenIds.resolve(config, tokenizer))
                .isEqualTo(new SpecialTokenIds(1023, 1022, 1021, 1020, 1019, 1018, 1017));
    }

    @Test
    void theConfigAndTheTokenizerMustAgree() throws Exception {
        ModelConfig disagreeing = config.with("/thinker_config/audio_token_id", IntNode.valueOf(7));

        assertThatThrownBy(() -> SpecialTokenIds.resolve(disagreeing, tokenizer))
                .isInstanceOf(CalibrationDataException.class)
                .hasMessage("config.json says thinker_config.audio_token_id = 7 but tokenizer.json maps "
                        + "<|audio_pad|> to 1023");
    }
}
