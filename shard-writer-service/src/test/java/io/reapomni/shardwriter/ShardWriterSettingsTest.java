package io.reapomni.shardwriter;

import io.reapomni.common.storage.StoreLocation;
import io.reapomni.service.testing.ServiceConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shard writer's settings as its environment gives them, with README's defaults, and what it refuses. */
class ShardWriterSettingsTest {

    @Test
    void withoutVariablesProgressEveryTwoSecondsAndAWeekOldLeftoversSweptHourlyNearEachJob() {
        ShardWriterSettings settings = settings(Map.of());

        assertThat(settings).isEqualTo(new ShardWriterSettings(Duration.ofSeconds(2), Duration.ofDays(7),
                Duration.ofHours(1), List.of()));
    }

    @Test
    void theVariablesSetEachSettingAndTheLocationsAreAList() {
        ShardWriterSettings settings = settings(Map.of(
                "REAP_SHARD_WRITER_PROGRESS_INTERVAL", "PT0S",
                "REAP_SHARD_WRITER_SWEEP_MAX_AGE", "P1D",
                "REAP_SHARD_WRITER_SWEEP_INTERVAL", "10m",
                "REAP_SHARD_WRITER_SWEEP_LOCATIONS", "s3://outputs/pruned,/srv/outputs"));

        assertThat(settings).isEqualTo(new ShardWriterSettings(Duration.ZERO, Duration.ofDays(1),
                Duration.ofMinutes(10), List.of(StoreLocation.parse("s3://outputs/pruned"),
                StoreLocation.parse("/srv/outputs"))));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({"REAP_SHARD_WRITER_PROGRESS_INTERVAL, PT-1S, must not be negative",
            "REAP_SHARD_WRITER_SWEEP_MAX_AGE, PT0S, must be longer than zero",
            "REAP_SHARD_WRITER_SWEEP_INTERVAL, 0s, must be longer than zero"})
    void aValueOutOfRangeNamesItsVariable(String variable, String value, String rule) {
        assertThatThrownBy(() -> settings(Map.of(variable, value))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(variable + " (reap.shard-writer.").hasMessageEndingWith(rule);
    }

    @Test
    void aSweepLocationThatIsNotOneNamesTheVariable() {
        assertThatThrownBy(() -> settings(Map.of("REAP_SHARD_WRITER_SWEEP_LOCATIONS", "s3://")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("REAP_SHARD_WRITER_SWEEP_LOCATIONS (reap.shard-writer.sweep.locations) names"
                        + " \"s3://\"");
    }

    private static ShardWriterSettings settings(Map<String, String> environment) {
        return ShardWriterSettings.of(ServiceConfiguration.read(ShardWriterConfig.class, environment));
    }
}
