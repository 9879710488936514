package io.reapomni.calibrationservice;

import io.reapomni.calibration.model.ComputeDevice;
import io.reapomni.calibration.model.ComputeOptions;
import io.reapomni.calibration.model.ComputePrecision;

import java.util.Locale;

/**
 * The worker's compute options from its configuration: a device ({@code cpu}, {@code gpu}), a dtype, and how many
 * tokens of the residual stream the device holds at once.
 */
final class ComputeChoice {

    private ComputeChoice() {
    }

    /** @throws IllegalArgumentException naming the setting and the values it takes */
    static ComputeOptions parse(String device, String dtype, int deviceTokens) {
        if (deviceTokens < 1) {
            throw new IllegalArgumentException("REAP_CALIBRATION_DEVICE_BATCH (reap.calibration.device-batch) is "
                    + deviceTokens + "; it takes a positive number of tokens");
        }
        return new ComputeOptions(
                parse(ComputeDevice.class, device, "REAP_CALIBRATION_DEVICE (reap.calibration.device)"),
                parse(ComputePrecision.class, dtype, "REAP_CALIBRATION_DTYPE (reap.calibration.dtype)"),
                deviceTokens);
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String value, String setting) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(value.trim().toUpperCase(Locale.ROOT))) {
                return constant;
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E constant : type.getEnumConstants()) {
            allowed.append(allowed.isEmpty() ? "" : ", ").append(constant.name().toLowerCase(Locale.ROOT));
        }
        throw new IllegalArgumentException(setting + " is \"" + value + "\"; it takes " + allowed);
    }
}
