package io.reapomni.calibration.audio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

class AudioTokenCountTest {
    /**
     * Worked by hand from m -> floor((m - 1) / 2) + 1 applied three times to frames % 100, plus 13 per 100 frames.
     */
    @ParameterizedTest
    @CsvSource({
            "137, 18", // the fixture: 37 -> 19 -> 10 -> 5, plus 13
            "0, 0", // 0 -> 0 -> 0 -> 0 with floor division
            "1, 1",
            "3, 1", // 3 -> 2 -> 1 -> 1
            "8, 1", // 8 -> 4 -> 2 -> 1
            "9, 2", // 9 -> 5 -> 3 -> 2
            "50, 7", // 50 -> 25 -> 13 -> 7
            "99, 13", // 99 -> 50 -> 25 -> 13
            "100, 13", // one full chunk, empty remainder
            "200, 26",
            "237, 31",
            "3000, 390", // 30 s
    })
    void tokensForFrames(int frames, int tokens) {
        assertThat(AudioTokenCount.forFrames(frames)).isEqualTo(tokens);
    }

    @Test
    void negativeFrameCountsAreRefused() {
        assertThatThrownBy(() -> AudioTokenCount.forFrames(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
