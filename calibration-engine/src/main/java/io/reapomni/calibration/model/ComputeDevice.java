package io.reapomni.calibration.model;

import ai.djl.Device;

/** Where the forward pass runs. */
public enum ComputeDevice {
    CPU,
    GPU;

    public Device toDjl() {
        return this == GPU ? Device.gpu() : Device.cpu();
    }
}
