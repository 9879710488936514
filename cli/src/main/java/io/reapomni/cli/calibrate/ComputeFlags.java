package io.reapomni.cli.calibrate;

import io.reapomni.calibration.model.ComputeDevice;
import io.reapomni.calibration.model.ComputeOptions;
import io.reapomni.calibration.model.ComputePrecision;
import picocli.CommandLine.Option;

/** --device and --dtype: where the engine computes and in what precision. */
public final class ComputeFlags {
    @Option(names = "--device", defaultValue = "cpu", paramLabel = "cpu|gpu",
            description = "Where to compute (default: ${DEFAULT-VALUE}).")
    ComputeDevice device;

    @Option(names = "--dtype", defaultValue = "float32", paramLabel = "float32|float16",
            description = "Precision of weights and matrix products (default: ${DEFAULT-VALUE}).")
    ComputePrecision dtype;

    ComputeOptions options() {
        return new ComputeOptions(device, dtype);
    }
}
