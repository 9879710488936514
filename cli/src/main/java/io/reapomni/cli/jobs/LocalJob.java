package io.reapomni.cli.jobs;

import io.reapomni.cli.stack.FolderBuckets;
import io.reapomni.cli.stack.StackHealth;
import io.reapomni.cli.stack.StackSession;
import io.reapomni.common.events.PruneRequested;
import io.reapomni.common.events.Topics;
import io.reapomni.common.job.CalibrationSettings;
import io.reapomni.common.job.PlanChoices;
import io.reapomni.common.job.PruneRequest;
import io.reapomni.common.storage.StoreLocation;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A job on local folders through the embedded stack: the folders become buckets of the stack's S3 endpoint, the
 * request goes to the services, and the output lands in the output folder. The user never sees either.
 */
public final class LocalJob {

    private LocalJob() {
    }

    /**
     * Runs the job and follows it to its end.
     *
     * @param output a folder that is missing or empty (the caller checks it before the stack is started); created
     *               for the job, and removed again when the job fails
     * @return the exit status: 0 when the job completed, 1 when it failed
     */
    public static int run(StackSession stack, String jobId, Path model, Path output, PlanChoices choices,
                          Optional<CalibrationSettings> calibration, PrintWriter out, PrintWriter err)
            throws IOException {
        boolean createdOutput = !Files.exists(output);
        Files.createDirectories(output);
        StoreLocation.S3 modelBucket = FolderBuckets.map(stack.folder(), jobId, model, "model");
        StoreLocation.S3 outputBucket = FolderBuckets.map(stack.folder(), jobId, output, "output");
        int status;
        try (TopicReader events = TopicReader.fromNow(stack.state().bootstrapServers(), List.of(Topics.JOB_EVENTS))) {
            PruneRequest request = new PruneRequest(modelBucket.toString(), outputBucket.toString(), choices,
                    calibration);
            RequestPublisher.publish(stack.state().bootstrapServers(), Topics.REQUESTS,
                    PruneRequested.of(jobId, request));
            out.println("Job " + jobId + ": " + model + " → " + output);
            out.flush();
            JobOutcome outcome = JobWatch.follow(events, jobId, out, () -> StackHealth.firstGone(stack.state())
                    .map(part -> part.name() + " has stopped; its log is " + part.logFile()), Optional.empty());
            status = OutcomeReport.print(out, err, outcome, output.toString());
        } finally {
            FolderBuckets.unmap(stack.folder(), modelBucket);
            FolderBuckets.unmap(stack.folder(), outputBucket);
        }
        if (status != 0 && createdOutput) {
            removeIfEmpty(output);
        }
        return status;
    }

    private static void removeIfEmpty(Path folder) throws IOException {
        try (var entries = Files.list(folder)) {
            if (entries.findAny().isEmpty()) {
                Files.delete(folder);
            }
        }
    }
}
