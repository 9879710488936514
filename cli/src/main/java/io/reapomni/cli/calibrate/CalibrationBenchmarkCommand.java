package io.reapomni.cli.calibrate;

import io.reapomni.calibration.benchmark.BenchmarkResult;
import io.reapomni.calibration.benchmark.BenchmarkSpec;
import io.reapomni.calibration.benchmark.CalibrationBenchmark;
import io.reapomni.cli.ExitCodes;
import io.reapomni.common.format.Units;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** bin/reap-omni benchmark calibration: calibration throughput on full-width layers, beside a dense MoE baseline. */
@Command(name = "calibration", mixinStandardHelpOptions = true,
        description = "Calibration throughput on a synthetic checkpoint of the full model's thinker layer shapes, "
                + "beside one MoE block computed densely (every expert on every token).")
public final class CalibrationBenchmarkCommand implements Callable<Integer> {
    @Option(names = "--layers", defaultValue = "2",
            description = "Thinker layers of 128 experts of 768 x 2048 (default: ${DEFAULT-VALUE}; 1.2 GB each in bf16).")
    int layers;

    @Option(names = "--tokens", defaultValue = "512", description = "Tokens per sample (default: ${DEFAULT-VALUE}).")
    int tokens;

    @Option(names = "--samples", defaultValue = "2", description = "Samples of random token ids (default: ${DEFAULT-VALUE}).")
    int samples;

    @Mixin
    ComputeFlags compute;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        BenchmarkSpec benchmark = new BenchmarkSpec(layers, tokens, samples, compute.options());
        PrintWriter out = spec.commandLine().getOut();
        out.printf("calibration benchmark: %d full-width layers, %d samples of %d random tokens, %s %s, %d processors%n",
                layers, samples, tokens, compute.device.name().toLowerCase(), compute.dtype.name().toLowerCase(),
                Runtime.getRuntime().availableProcessors());
        out.flush();
        BenchmarkResult result;
        try (CalibrationProgressBar progress = new CalibrationProgressBar(new PrintStream(System.err, true))) {
            result = CalibrationBenchmark.run(benchmark, progress);
        }
        out.printf("synthetic checkpoint: %s of bf16 tensors%n", Units.bytes(result.checkpointBytes()));
        out.printf("calibration: %s tokens through %d layers in %.1f s: %.1f tokens/s, %.2f s per layer "
                        + "(weights loaded and converted included)%n", Units.count(benchmark.totalTokens()), layers,
                result.calibrationSeconds(), result.tokensPerSecond(), result.secondsPerLayer());
        out.printf("one MoE block over %d tokens: sparse (routed tokens only) %.2f s = %.0f tokens/s; "
                        + "dense baseline (every expert on every token) %.2f s = %.0f tokens/s; %.1fx%n",
                tokens, result.sparseMoeSeconds(), result.sparseMoeTokensPerSecond(), result.denseMoeSeconds(),
                result.denseMoeTokensPerSecond(), result.denseMoeSeconds() / result.sparseMoeSeconds());
        RunSummary.printMemory(out);
        out.flush();
        return ExitCodes.OK;
    }
}
