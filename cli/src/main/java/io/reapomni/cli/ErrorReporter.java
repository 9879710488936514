package io.reapomni.cli;

import io.reapomni.calibration.data.CalibrationDataException;
import io.reapomni.calibration.evaluation.ModelMismatchException;
import io.reapomni.common.checkpoint.CheckpointException;
import io.reapomni.common.plan.PlanException;
import io.reapomni.common.rewrite.InsufficientSpaceException;
import io.reapomni.common.rewrite.OutputExistsException;
import io.reapomni.common.safetensors.SafetensorsFormatException;
import picocli.CommandLine;

/**
 * Turns an exception that ends a command into one plain message and an exit code: bad input (flags, plans,
 * checkpoints) is 2, anything else that failed is 1. Stack traces only with --verbose, for bug reports.
 */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine command, CommandLine.ParseResult parseResult) {
        boolean verbose = parseResult.subcommands().stream().anyMatch(sub -> sub.hasMatchedOption("--verbose"));
        command.getErr().println("reap-omni " + command.getCommandName() + ": " + message(e));
        if (verbose) {
            e.printStackTrace(command.getErr());
        }
        return isBadInput(e) ? ExitCodes.BAD_INPUT : ExitCodes.FAILED;
    }

    private static boolean isBadInput(Exception e) {
        return e instanceof PlanException || e instanceof CheckpointException || e instanceof SafetensorsFormatException
                || e instanceof OutputExistsException || e instanceof InsufficientSpaceException
                || e instanceof IllegalArgumentException
                || e instanceof UnsupportedOperationException || e instanceof CalibrationDataException
                || e instanceof CommandLine.ParameterException || e instanceof java.nio.file.NoSuchFileException
                || e instanceof java.io.FileNotFoundException || e instanceof ModelMismatchException;
    }

    private static String message(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
