package io.reapomni.cli.benchmark;

import io.reapomni.cli.calibrate.CalibrationBenchmarkCommand;
import picocli.CommandLine.Command;

/** Benchmarks that print numbers beside a baseline measured in the same run. */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
        description = "Measure throughput and memory, beside a baseline measured in the same run.",
        subcommands = {RewriteBenchmark.class, CalibrationBenchmarkCommand.class})
public final class BenchmarkCommand {
}
