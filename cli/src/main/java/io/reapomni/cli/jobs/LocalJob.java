package io.reapomni.cli.jobs;

import io.reapomni.cli.stack.StackHealth;
import io.reapomni.cli.stack.StackSession;
import io.reapomni.common.events.PruneRequested;
import io.reapomni.common.events.Topics;
import io.reapomni.common.job.CalibrationSettings;
import io.reapomni.common.job.PruneRequest;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A job on local folders through the embedded stack: the model's, the output's and the calibration data's folders
 * become buckets of the stack's S3 endpoint, the request goes to the services, and the output lands in the output
 * folder. The user never sees either.
 */
public final class LocalJob {

    private LocalJob() {
    }

    /**
     * Runs the job and follows it to its end.
     *
     * @param request its output a folder that is missing or empty (the caller checks it before the stack is
     *                started); created for the job, and removed again when the job fails
     * @param patience how long to wait for the job, and for the services to answer
     * @return how the job ended
     * @throws IOException when the job cannot end because a part of the stack has stopped, or its services stop
     *                     answering
     */
    public static JobOutcome run(StackSession stack, String jobId, LocalRequest request, Patience patience,
                                 PrintWriter out) throws IOException {
        boolean createdOutput = request.output().isPresent() && !Files.exists(request.output().get());
        if (request.output().isPresent()) {
            Files.createDirectories(request.output().get());
        }
        KafkaConnection broker = KafkaConnection.plaintext(stack.state().bootstrapServers());
        JobOutcome outcome;
        try (JobBuckets buckets = new JobBuckets(stack.folder(), jobId);
             TopicReader events = TopicReader.fromNow(broker, List.of(Topics.JOB_EVENTS))) {
            String model = buckets.folder(request.model(), "model").toString();
            String output = request.output().isPresent() ? buckets.folder(request.output().get(), "output").toString()
                    : "";
            Optional<CalibrationSettings> calibration = request.calibration().isPresent()
                    ? Optional.of(buckets.data(request.calibration().get())) : Optional.empty();
            RequestPublisher.publish(broker, Topics.REQUESTS, PruneRequested.of(jobId,
                    new PruneRequest(model, output, request.choices(), calibration, request.dryRun())));
            out.println("Job " + jobId + ": " + request.model() + " → "
                    + request.output().map(Path::toString).orElse("a plan (dry run)"));
            out.flush();
            outcome = JobWatch.follow(events, jobId, out, () -> StackHealth.firstGone(stack.state())
                    .map(part -> part.name() + " has stopped; its log is " + part.logFile()), patience);
        }
        if (!(outcome instanceof JobOutcome.Completed) && createdOutput) {
            removeIfEmpty(request.output().get());
        }
        return outcome;
    }

    private static void removeIfEmpty(Path folder) throws IOException {
        try (var entries = Files.list(folder)) {
            if (entries.findAny().isEmpty()) {
                Files.delete(folder);
            }
        }
    }
}
