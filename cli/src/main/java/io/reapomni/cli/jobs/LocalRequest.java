package io.reapomni.cli.jobs;

import io.reapomni.common.job.CalibrationSettings;
import io.reapomni.common.job.PlanChoices;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A job on local folders and files: the model, where the pruned model goes, what to do, and the calibrated method's
 * settings with their data files as local paths.
 *
 * @param output the new or empty folder the model goes to; empty for a dry run, which ends with the plan
 */
public record LocalRequest(Path model, Optional<Path> output, PlanChoices choices,
                           Optional<CalibrationSettings> calibration) {

    public boolean dryRun() {
        return output.isEmpty();
    }
}
