package io.reapomni.calibration.model;

import java.util.Objects;

/** Device and precision of one engine run. */
public record ComputeOptions(ComputeDevice device, ComputePrecision precision) {
    public ComputeOptions {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(precision, "precision");
    }

    public static ComputeOptions cpuFloat32() {
        return new ComputeOptions(ComputeDevice.CPU, ComputePrecision.FLOAT32);
    }
}
