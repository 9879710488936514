package io.reapomni.strip;

import io.reapomni.common.storage.LocalRoots;
import io.reapomni.common.storage.StoreAccess;
import io.reapomni.service.JobStores;
import io.reapomni.service.testing.ServiceConfiguration;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The strip service's settings as its environment gives them, with README's defaults, and what it refuses. */
class StripConfigTest {

    private static final JobStores NO_STORES = new JobStores(new StoreAccess(() -> {
        throw new AssertionError("no store is opened when the service starts");
    }, LocalRoots.none()), "the strip service");

    @Test
    void withoutVariablesAJobGetsOneTaskOfAtMost256Samples() {
        StripConfig.Calibration calibration = calibration(Map.of());

        assertThat(calibration.workers()).isEqualTo(1);
        assertThat(calibration.taskSamples()).isEqualTo(256);
    }

    @Test
    void theVariablesSetTheWorkersAndTheSamplesPerTask() {
        StripConfig.Calibration calibration = calibration(Map.of("REAP_CALIBRATION_WORKERS", "16",
                "REAP_CALIBRATION_TASK_SAMPLES", "32"));

        assertThat(calibration.workers()).isEqualTo(16);
        assertThat(calibration.taskSamples()).isEqualTo(32);
    }

    @Test
    void noWorkersOrNoSamplesPerTaskIsRefusedNamingTheVariable() {
        assertThatThrownBy(() -> StripService.fanOut(NO_STORES, calibration(Map.of("REAP_CALIBRATION_WORKERS", "0"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("REAP_CALIBRATION_WORKERS (reap.calibration.workers) is 0; it must be at least 1");
        assertThatThrownBy(() -> StripService.fanOut(NO_STORES,
                calibration(Map.of("REAP_CALIBRATION_TASK_SAMPLES", "-4"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("REAP_CALIBRATION_TASK_SAMPLES (reap.calibration.task-samples) is -4; it must be at"
                        + " least 1");
    }

    private static StripConfig.Calibration calibration(Map<String, String> environment) {
        return ServiceConfiguration.read(StripConfig.class, environment).calibration();
    }
}
