package io.reapomni.common.job;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobIdsTest {

    @ParameterizedTest
    @ValueSource(strings = {"job-1", "cli_test.2", "7f3c2a1e-9b4d-4c2e-8f1a-0b2c3d4e5f60", "a",
            "0123456789012345678901234567890123456789012345678901234567890123", "v1.2-rc_3"})
    void acceptsLettersDigitsDotsDashesAndUnderscores(String jobId) {
        assertThat(JobIds.validate(jobId)).isEqualTo(jobId);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "x/../victim", "a..b", "../x", "a/b", "a\\b", "job id", "job\nid", "jöb",
            "01234567890123456789012345678901234567890123456789012345678901234", "/abs", "a:b", "a%2e"})
    void refusesAnythingThatCouldNameAPathOrForgeALine(String jobId) {
        assertThatThrownBy(() -> JobIds.validate(jobId)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid job id").hasMessageNotContaining("\n");
    }

    @Test
    void refusesNoId() {
        assertThat(JobIds.isValid(null)).isFalse();
        assertThat(JobIds.problem(null)).hasValueSatisfying(problem -> assertThat(problem).contains("(none)"));
    }
}
