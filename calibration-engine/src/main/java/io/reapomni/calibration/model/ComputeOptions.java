package io.reapomni.calibration.model;

import java.util.Objects;

/**
 * Device and precision of one engine run, and how many tokens of the residual stream the device holds at once: a run
 * with more tokens keeps them in host memory between layers and streams them through the device in batches of at
 * most this many (whole samples), so that a layer's weights are still read once.
 */
public record ComputeOptions(ComputeDevice device, ComputePrecision precision, int deviceTokens) {
    /** 64k tokens: about 2 GiB of float32 stream and window states at the full model's width, 16 GB peak. */
    public static final int DEFAULT_DEVICE_TOKENS = 1 << 16;

    public ComputeOptions {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(precision, "precision");
        if (deviceTokens < 1) {
            throw new IllegalArgumentException("the device must hold at least one token, not " + deviceTokens);
        }
    }

    public ComputeOptions(ComputeDevice device, ComputePrecision precision) {
        this(device, precision, DEFAULT_DEVICE_TOKENS);
    }

    public static ComputeOptions cpuFloat32() {
        return new ComputeOptions(ComputeDevice.CPU, ComputePrecision.FLOAT32);
    }
}
