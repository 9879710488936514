package io.reapomni.cli.stack;

import picocli.CommandLine.Option;

/** {@code --workers}: how many calibration workers a stack started by the command runs. */
public final class WorkersOption {

    @Option(names = "--workers", paramLabel = "N", defaultValue = "1",
            description = "Calibration workers of a stack this command starts, each a consumer of the one group that"
                    + " shares a job's calibration tasks (default: ${DEFAULT-VALUE}). A running stack keeps its own.")
    int workers;

    public int workers() {
        return workers;
    }
}
