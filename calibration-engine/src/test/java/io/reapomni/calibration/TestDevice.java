package io.reapomni.calibration;

import ai.djl.ndarray.NDManager;
import io.reapomni.calibration.model.ComputeDevice;
import io.reapomni.calibration.model.ComputeOptions;
import io.reapomni.calibration.model.ComputePrecision;

import java.util.Locale;

/**
 * Where the engine tests compute: the system property {@code reap.device}, {@code cpu} (the default, and what CI
 * runs) or {@code gpu} (the parity tests on CUDA, e.g. {@code mvn test -Dreap.device=gpu} on a machine with an
 * NVIDIA GPU and a CUDA build of DJL's PyTorch JNI; see the README).
 */
public final class TestDevice {
    public static final String PROPERTY = "reap.device";

    private TestDevice() {
    }

    public static ComputeDevice device() {
        String value = System.getProperty(PROPERTY, "");
        if (value.isBlank()) {
            return ComputeDevice.CPU;
        }
        try {
            return ComputeDevice.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(PROPERTY + " must be cpu or gpu, not '" + value + "'", e);
        }
    }

    /** The test device in float32, the precision of the fixture's references. */
    public static ComputeOptions float32() {
        return new ComputeOptions(device(), ComputePrecision.FLOAT32);
    }

    /** A base manager on the test device (DJL's default device would pick a GPU whenever one is visible). */
    public static NDManager newManager() {
        return NDManager.newBaseManager(device().toDjl());
    }
}
