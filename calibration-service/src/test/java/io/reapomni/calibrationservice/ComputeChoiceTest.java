package io.reapomni.calibrationservice;

import io.reapomni.calibration.model.ComputeDevice;
import io.reapomni.calibration.model.ComputeOptions;
import io.reapomni.calibration.model.ComputePrecision;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ComputeChoiceTest {

    @Test
    void deviceAndDtypeAreReadInAnyCase() {
        assertThat(ComputeChoice.parse("cpu", "float32", 65536))
                .isEqualTo(new ComputeOptions(ComputeDevice.CPU, ComputePrecision.FLOAT32, 65536));
        assertThat(ComputeChoice.parse("GPU", " float16 ", 1024))
                .isEqualTo(new ComputeOptions(ComputeDevice.GPU, ComputePrecision.FLOAT16, 1024));
    }

    @Test
    void anUnknownValueNamesTheVariableAndWhatItTakes() {
        assertThatThrownBy(() -> ComputeChoice.parse("tpu", "float32", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("REAP_CALIBRATION_DEVICE", "tpu", "cpu, gpu");
        assertThatThrownBy(() -> ComputeChoice.parse("cpu", "bfloat16", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("REAP_CALIBRATION_DTYPE", "bfloat16", "float32, float16");
        assertThatThrownBy(() -> ComputeChoice.parse("cpu", "float32", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("REAP_CALIBRATION_DEVICE_BATCH", "0");
    }
}
