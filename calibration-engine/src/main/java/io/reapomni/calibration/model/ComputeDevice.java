package io.reapomni.calibration.model;

import ai.djl.Device;

/** Where the forward pass runs. */
public enum ComputeDevice {
    CPU,
    GPU;

    public Device toDjl() {
        return this == GPU ? Device.gpu() : Device.cpu();
    }

    /** Parses the CLI spelling ({@code cpu} or {@code gpu}). */
    public static ComputeDevice parse(String name) {
        for (ComputeDevice device : values()) {
            if (device.name().equalsIgnoreCase(name)) {
                return device;
            }
        }
        throw new IllegalArgumentException("unknown device \"" + name + "\" (expected cpu or gpu)");
    }
}
