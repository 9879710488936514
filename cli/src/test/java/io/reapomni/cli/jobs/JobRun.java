package io.reapomni.cli.jobs;

import io.reapomni.cli.stack.FolderBuckets;
import io.reapomni.cli.stack.StackFolder;
import io.reapomni.cli.stack.StackState;
import io.reapomni.common.events.JobEvent;
import io.reapomni.common.events.PruneRequested;
import io.reapomni.common.events.Topics;
import io.reapomni.common.job.PlanChoices;
import io.reapomni.common.job.PruneRequest;
import io.reapomni.common.storage.StoreLocation;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A job of an end-to-end test: local folders mapped into the stack, its request, and its events from now on. */
final class JobRun implements AutoCloseable {

    static final Duration JOB_BOUND = Duration.ofMinutes(3);

    final String jobId;
    final PruneRequested request;
    final TopicReader events;
    private final StackFolder folder;
    private final StackState stack;
    private final StoreLocation.S3 modelBucket;
    private final StoreLocation.S3 outputBucket;

    private JobRun(String jobId, PruneRequested request, TopicReader events, StackFolder folder, StackState stack,
                   StoreLocation.S3 modelBucket, StoreLocation.S3 outputBucket) {
        this.jobId = jobId;
        this.request = request;
        this.events = events;
        this.folder = folder;
        this.stack = stack;
        this.modelBucket = modelBucket;
        this.outputBucket = outputBucket;
    }

    /** Maps the folders and starts reading job events; nothing is published yet. */
    static JobRun prepare(StackFolder folder, StackState stack, String jobId, Path model, Path output,
                          PlanChoices choices) throws IOException {
        Files.createDirectories(output);
        StoreLocation.S3 modelBucket = FolderBuckets.map(folder, jobId, model, "model");
        StoreLocation.S3 outputBucket = FolderBuckets.map(folder, jobId, output, "output");
        PruneRequested request = PruneRequested.of(jobId, new PruneRequest(modelBucket.toString(),
                outputBucket.toString(), choices, Optional.empty()));
        TopicReader events = TopicReader.fromNow(KafkaConnection.plaintext(stack.bootstrapServers()),
                List.of(Topics.JOB_EVENTS));
        return new JobRun(jobId, request, events, folder, stack, modelBucket, outputBucket);
    }

    void publish() throws IOException {
        publish(request);
    }

    void publish(JobEvent event) throws IOException {
        RequestPublisher.publish(KafkaConnection.plaintext(stack.bootstrapServers()), topicOf(event), event);
    }

    /** Waits for the job's end, within {@link #JOB_BOUND}. */
    JobOutcome outcome() throws IOException {
        return JobWatch.follow(events, jobId, new PrintWriter(new StringWriter()), JobWatch.Health.ASSUMED,
                new Patience(Optional.of(JOB_BOUND), Optional.empty()));
    }

    @Override
    public void close() throws IOException {
        events.close();
        FolderBuckets.unmap(folder, modelBucket);
        FolderBuckets.unmap(folder, outputBucket);
    }

    private static String topicOf(JobEvent event) {
        return event instanceof PruneRequested ? Topics.REQUESTS : Topics.PLANS;
    }
}
