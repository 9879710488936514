package io.reapomni.cli.calibrate;

import io.reapomni.calibration.model.ComputeDevice;
import io.reapomni.calibration.model.LayerCost;
import io.reapomni.cli.ExitCodes;
import io.reapomni.cli.benchmark.GpuMemoryPeak;
import io.reapomni.cli.benchmark.HeapPeak;
import io.reapomni.common.format.Units;
import io.reapomni.devtools.benchmark.BenchmarkResult;
import io.reapomni.devtools.benchmark.BenchmarkSpec;
import io.reapomni.devtools.benchmark.CalibrationBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * bin/reap-omni benchmark calibration: calibration throughput on full-width layers read from disk, with per layer the
 * seconds spent reading, decoding, placing and computing, beside one layer read plainly by one thread.
 */
@Command(name = "calibration", mixinStandardHelpOptions = true,
        description = "Calibration throughput on a synthetic checkpoint of the full model's thinker layer shapes, "
                + "written to disk and read back: end to end and per layer (reading, decoding, placing on the "
                + "device, computing), beside the same bytes read plainly by one thread.")
public final class CalibrationBenchmarkCommand implements Callable<Integer> {
    @Option(names = "--layers", defaultValue = "2",
            description = "Thinker layers of 128 experts of 768 x 2048 (default: ${DEFAULT-VALUE}; 1.2 GB each in bf16).")
    int layers;

    @Option(names = "--tokens", defaultValue = "512", description = "Tokens per sample (default: ${DEFAULT-VALUE}).")
    int tokens;

    @Option(names = "--samples", defaultValue = "2", description = "Samples of random token ids (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--drop-page-cache",
            description = "Drop the kernel's page cache before the run, so that weights come from the disk (root only).")
    boolean dropPageCache;

    @Mixin
    ComputeFlags compute;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        BenchmarkSpec benchmark = new BenchmarkSpec(layers, tokens, samples, compute.options(), dropPageCache);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("calibration benchmark: %d full-width layers, %d samples of %d random tokens, %s %s, "
                        + "%d tokens on the device at once, %d processors%n", layers, samples, tokens,
                compute.device.name().toLowerCase(), compute.dtype.name().toLowerCase(),
                compute.options().deviceTokens(), Runtime.getRuntime().availableProcessors());
        if (compute.device == ComputeDevice.GPU) {
            // the allocator's settings change the GPU memory measured below by a third (README, Performance)
            out.printf("PyTorch's CUDA allocator: %s%n", Optional.ofNullable(System.getenv("PYTORCH_CUDA_ALLOC_CONF"))
                    .map(value -> "PYTORCH_CUDA_ALLOC_CONF=" + value)
                    .orElse("its defaults (PYTORCH_CUDA_ALLOC_CONF unset)"));
        }
        out.flush();
        BenchmarkResult result;
        HeapPeak.reset();
        try (GpuMemoryPeak gpu = new GpuMemoryPeak();
             CalibrationProgressBar progress = new CalibrationProgressBar(new PrintStream(System.err, true))) {
            result = CalibrationBenchmark.run(benchmark, progress);
            print(out, result);
            out.printf("peak GPU memory (nvidia-smi, whole card) %s%n",
                    gpu.bytes().stream().mapToObj(Units::bytes).findFirst().orElse("n/a (no nvidia-smi)"));
        }
        RunSummary.printMemory(out);
        out.flush();
        return ExitCodes.OK;
    }

    private static void print(PrintWriter out, BenchmarkResult result) {
        out.printf("synthetic checkpoint: %s of bf16 tensors; page cache %s%n", Units.bytes(result.checkpointBytes()),
                result.pageCache().description());
        out.printf("before the run: the same samples through every layer once (the device's start, the allocator's growth,"
                + " plans for the shapes, pinning, first reads; a worker pays them once) took %.2f s, not counted below;"
                + " staging memory %s%n", result.warmUpSeconds(),
                result.stagingMemory());
        out.printf("%5s %10s %8s %8s %8s %8s %8s %10s%n", "layer", "bytes", "read s", "decode s", "place s",
                "wait s", "compute s", "tokens/s");
        for (LayerCost layer : result.run().layers()) {
            out.printf("%5d %10s %8.3f %8.3f %8.3f %8.3f %8.3f %10.0f%n", layer.layer(),
                    Units.bytes(layer.staging().bytes()), layer.staging().readSeconds(),
                    layer.staging().decodeSeconds(), layer.placeSeconds(), layer.waitSeconds(),
                    layer.computeSeconds(), layer.tokens() / layer.computeSeconds());
        }
        BenchmarkResult.PlainRead baseline = result.baseline();
        out.printf("baseline: one layer's %s read plainly by one thread in %.3f s (%s/s)%n",
                Units.bytes(baseline.bytes()), baseline.seconds(), Units.bytes((long) baseline.bytesPerSecond()));
        out.printf("calibration: %s tokens through %d layers in %.2f s end to end: %.0f tokens/s, %.2f s per layer "
                        + "(weights read, decoded and placed included); computation alone %.0f tokens/s%n",
                Units.count(result.spec().totalTokens()), result.spec().layers(), result.seconds(),
                result.tokensPerSecond(), result.secondsPerLayer(), result.computeTokensPerSecond());
        if (!result.run().conversionLoss().isNone()) {
            out.printf("float16: %s%n", result.run().conversionLoss().describe());
        }
        RunSummary.printHostStream(out, result.run());
    }
}
