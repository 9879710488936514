package io.reapomni.calibrationservice;

import io.reapomni.calibration.data.MediaLimits;
import io.reapomni.calibration.model.ComputeDevice;
import io.reapomni.calibration.model.ComputeOptions;
import io.reapomni.calibration.model.ComputePrecision;
import io.reapomni.service.testing.ServiceConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The worker's settings as its environment gives them, with README's defaults, and what it refuses. */
class WorkerSettingsTest {

    @Test
    void withoutVariablesTheWorkerHasTheDocumentedDefaults() {
        assertThat(settings(Map.of())).isEqualTo(new WorkerSettings(
                new ComputeOptions(ComputeDevice.CPU, ComputePrecision.FLOAT32, 65536),
                new MediaLimits(Duration.ofSeconds(300), 64, Duration.ofSeconds(120), 1L << 30), 256, 4L << 30));
    }

    @Test
    void eachVariableSetsItsSetting() {
        WorkerSettings settings = settings(Map.of(
                "REAP_CALIBRATION_DEVICE", "gpu",
                "REAP_CALIBRATION_DTYPE", "float16",
                "REAP_CALIBRATION_DEVICE_BATCH", "1024",
                "REAP_CALIBRATION_MAX_AUDIO_DURATION", "30s",
                "REAP_CALIBRATION_MAX_VIDEO_FRAMES", "8",
                "REAP_CALIBRATION_TOOL_TIMEOUT", "PT10S",
                "REAP_CALIBRATION_MAX_MEDIA_BYTES", "64M",
                "REAP_CALIBRATION_MAX_TASK_SAMPLES", "16",
                "REAP_EVALUATION_RESIDENT_WEIGHTS", "40G"));

        assertThat(settings).isEqualTo(new WorkerSettings(
                new ComputeOptions(ComputeDevice.GPU, ComputePrecision.FLOAT16, 1024),
                new MediaLimits(Duration.ofSeconds(30), 8, Duration.ofSeconds(10), 64L << 20), 16, 40L << 30));
    }

    @Test
    void deviceAndDtypeAreReadInAnyCase() {
        assertThat(WorkerSettings.compute("GPU", " float16 ", 1024))
                .isEqualTo(new ComputeOptions(ComputeDevice.GPU, ComputePrecision.FLOAT16, 1024));
    }

    @Test
    void anUnknownValueNamesTheVariableAndWhatItTakes() {
        assertThatThrownBy(() -> WorkerSettings.compute("tpu", "float32", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("REAP_CALIBRATION_DEVICE", "tpu", "cpu, gpu");
        assertThatThrownBy(() -> WorkerSettings.compute("cpu", "bfloat16", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("REAP_CALIBRATION_DTYPE", "bfloat16", "float32, float16");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({"REAP_CALIBRATION_DEVICE_BATCH, 0", "REAP_CALIBRATION_MAX_AUDIO_DURATION, PT0S",
            "REAP_CALIBRATION_MAX_VIDEO_FRAMES, 0", "REAP_CALIBRATION_TOOL_TIMEOUT, PT0S",
            "REAP_CALIBRATION_MAX_MEDIA_BYTES, 0", "REAP_CALIBRATION_MAX_TASK_SAMPLES, 0"})
    void aValueOutOfRangeNamesItsVariable(String variable, String value) {
        assertThatThrownBy(() -> settings(Map.of(variable, value))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(variable + " (reap.calibration.").hasMessageContaining(" is " + value);
    }

    private static WorkerSettings settings(Map<String, String> environment) {
        return WorkerSettings.of(ServiceConfiguration.read(WorkerConfig.class, environment));
    }
}
