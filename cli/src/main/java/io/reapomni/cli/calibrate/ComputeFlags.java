package io.reapomni.cli.calibrate;

import io.reapomni.calibration.model.ComputeDevice;
import io.reapomni.calibration.model.ComputeOptions;
import io.reapomni.calibration.model.ComputePrecision;
import picocli.CommandLine.Option;

/** --device, --dtype and --device-batch: where the engine computes, in what precision, in what batches. */
public final class ComputeFlags {
    @Option(names = "--device", defaultValue = "cpu", paramLabel = "cpu|gpu",
            description = "Where to compute (default: ${DEFAULT-VALUE}).")
    ComputeDevice device;

    @Option(names = "--dtype", defaultValue = "float32", paramLabel = "float32|float16",
            description = "Precision of weights and matrix products (default: ${DEFAULT-VALUE}).")
    ComputePrecision dtype;

    @Option(names = "--device-batch", defaultValue = "" + ComputeOptions.DEFAULT_DEVICE_TOKENS, paramLabel = "N",
            description = "Tokens of the residual stream on the GPU at once; more are kept in host memory between "
                    + "layers and streamed through in batches, each layer's weights still read once "
                    + "(default: ${DEFAULT-VALUE}, about 16 GB of GPU memory at the full model's width).")
    int deviceTokens;

    public ComputeOptions options() {
        return new ComputeOptions(device, dtype, deviceTokens);
    }
}
