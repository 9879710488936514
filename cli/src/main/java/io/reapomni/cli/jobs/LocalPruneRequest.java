package io.reapomni.cli.jobs;

import io.reapomni.common.job.CalibrationSettings;
import io.reapomni.common.job.Modality;
import io.reapomni.common.job.PlanChoices;
import io.reapomni.common.job.PruneRequest;
import io.reapomni.common.storage.StoreLocation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code PruneRequest} on local folders and files, as the CLI builds it ({@link #toPruneRequest} is what the
 * services get): the model, where the pruned model goes, what to do, and the calibrated method's
 * settings with their data files as local paths. The services of the embedded stack read and write these folders
 * themselves, so the request names them as they are (absolute).
 *
 * @param output the new or empty folder the model goes to; empty for a dry run, which ends with the plan
 */
public record LocalPruneRequest(Path model, Optional<Path> output, PlanChoices choices,
                           Optional<CalibrationSettings> calibration) {

    public LocalPruneRequest {
        model = absolute(model);
        output = output.map(LocalPruneRequest::absolute);
        calibration = calibration.map(settings -> {
            Map<Modality, String> files = new HashMap<>(settings.dataFiles());
            files.replaceAll((modality, file) -> absolute(Path.of(file)).toString());
            return settings.withDataFiles(files);
        });
    }

    public boolean dryRun() {
        return output.isEmpty();
    }

    /** The request as the services get it. */
    public PruneRequest toPruneRequest() {
        return new PruneRequest(new StoreLocation.Local(model), output.map(StoreLocation.Local::new), choices,
                calibration, dryRun());
    }

    /** The folders the job reads: the model's, and the folder of each calibration data file (its media are there). */
    public List<Path> readFolders() {
        List<Path> folders = new ArrayList<>(List.of(model));
        calibration.ifPresent(settings -> settings.dataFiles().values()
                .forEach(file -> folders.add(Path.of(file).getParent())));
        return folders;
    }

    /**
     * The folders that a stack started for this job must let its services use: those it reads, and the folder that
     * holds its output (where the output is staged and then renamed into place).
     */
    public List<Path> folders() {
        List<Path> folders = new ArrayList<>(readFolders());
        output.map(Path::getParent).ifPresent(folders::add);
        return folders;
    }

    private static Path absolute(Path path) {
        return path.toAbsolutePath().normalize();
    }
}
