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
        assertThat(ComputeChoice.parse("cpu", "float32"))
                .isEqualTo(new ComputeOptions(ComputeDevice.CPU, ComputePrecision.FLOAT32));
        assertThat(ComputeChoice.parse("GPU", " float16 "))
                .isEqualTo(new ComputeOptions(ComputeDevice.GPU, ComputePrecision.FLOAT16));
    }

    @Test
    void anUnknownValueNamesTheVariableAndWhatItTakes() {
        assertThatThrownBy(() -> ComputeChoice.parse("tpu", "float32"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("REAP_CALIBRATION_DEVICE", "tpu", "cpu, gpu");
        assertThatThrownBy(() -> ComputeChoice.parse("cpu", "bfloat16"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("REAP_CALIBRATION_DTYPE", "bfloat16", "float32, float16");
    }
}
