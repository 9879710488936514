package io.reapomni.cli;

import io.reapomni.cli.benchmark.BenchmarkCommand;
import io.reapomni.cli.calibrate.CalibrateCommand;
import io.reapomni.cli.calibrationdata.CalibrationDataCommand;
import io.reapomni.cli.demo.DemoCommand;
import io.reapomni.cli.evaluate.EvaluateCommand;
import io.reapomni.cli.inspect.InspectCommand;
import io.reapomni.cli.jobs.FollowCommand;
import io.reapomni.cli.jobs.JobsCommand;
import io.reapomni.cli.jobs.SubmitCommand;
import io.reapomni.cli.prune.PruneCommand;
import io.reapomni.cli.scores.ScoresCommand;
import io.reapomni.cli.stack.StackCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** bin/reap-omni: the command line of reap-omni. */
@Command(name = "reap-omni", mixinStandardHelpOptions = true, version = "reap-omni 0.1.0",
        description = "Prune Qwen3-Omni into an audio-focused model: modality strip, REAP expert pruning, layer pruning.",
        subcommands = {DemoCommand.class, InspectCommand.class, PruneCommand.class, ScoresCommand.class,
                EvaluateCommand.class, CalibrateCommand.class, CalibrationDataCommand.class, StackCommand.class,
                SubmitCommand.class, FollowCommand.class, JobsCommand.class, BenchmarkCommand.class})
public final class ReapOmni {
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, also used by tests to run commands in-process. */
    public static CommandLine commandLine() {
        return new CommandLine(new ReapOmni())
                .setExecutionExceptionHandler(new ErrorReporter())
                .setCaseInsensitiveEnumValuesAllowed(true);
    }
}
