package io.reapomni.scoring;

import io.reapomni.service.testing.ServiceConfiguration;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The scoring service's settings as its environment gives them, with README's defaults, and what it refuses. */
class ScoringConfigTest {

    @Test
    void withoutVariablesTheStateIsInTheUsersHomeAndCalibrationHasSixHours() {
        ScoringConfig config = ServiceConfiguration.read(ScoringConfig.class, Map.of());

        assertThat(config.state().location())
                .isEqualTo(Path.of(System.getProperty("user.home"), ".reap-omni", "scoring-state").toString());
        assertThat(config.scoring().calibrationDeadline()).isEqualTo(Duration.ofHours(6));
    }

    @Test
    void theVariablesSetTheStateLocationAndTheDeadline() {
        ScoringConfig config = ServiceConfiguration.read(ScoringConfig.class, Map.of(
                "REAP_STATE_LOCATION", "s3://reap-omni-state/scoring",
                "REAP_SCORING_CALIBRATION_DEADLINE", "90m"));

        assertThat(config.state().location()).isEqualTo("s3://reap-omni-state/scoring");
        assertThat(ScoringJobsProducer.calibrationDeadline(config.scoring())).isEqualTo(Duration.ofMinutes(90));
    }

    @Test
    void aDeadlineOfZeroIsRefusedNamingTheVariable() {
        ScoringConfig config = ServiceConfiguration.read(ScoringConfig.class,
                Map.of("REAP_SCORING_CALIBRATION_DEADLINE", "0s"));

        assertThatThrownBy(() -> ScoringJobsProducer.calibrationDeadline(config.scoring()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("REAP_SCORING_CALIBRATION_DEADLINE (reap.scoring.calibration-deadline) is"
                        + " PT0S");
    }
}
