package io.reapomni.cli.jobs;

import io.reapomni.cli.stack.StackState;
import io.reapomni.common.events.JobEvent;
import io.reapomni.common.events.PruneRequested;
import io.reapomni.common.events.Topics;
import io.reapomni.common.job.PlanChoices;
import io.reapomni.common.testing.TestJobs;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A job of an end-to-end test: its request naming local folders, and its events from now on. */
final class JobRun implements AutoCloseable {

    static final Duration JOB_BOUND = Duration.ofMinutes(3);

    final String jobId;
    final PruneRequested request;
    final TopicReader events;
    private final StackState stack;

    private JobRun(String jobId, PruneRequested request, TopicReader events, StackState stack) {
        this.jobId = jobId;
        this.request = request;
        this.events = events;
        this.stack = stack;
    }

    /** Starts reading job events; nothing is published yet. */
    static JobRun prepare(StackState stack, String jobId, Path model, Path output, PlanChoices choices)
            throws IOException {
        PruneRequested request = PruneRequested.of(jobId, TestJobs.request(model.toString(), output.toString(), choices,
                Optional.empty()));
        TopicReader events = TopicReader.fromNow(stack.kafka(), List.of(Topics.JOB_EVENTS));
        return new JobRun(jobId, request, events, stack);
    }

    void publish() throws IOException {
        publish(request);
    }

    void publish(JobEvent event) throws IOException {
        RequestPublisher.publish(stack.kafka(), topicOf(event), event);
    }

    /** Waits for the job's end, within {@link #JOB_BOUND}. */
    JobOutcome outcome() throws IOException {
        return JobWatch.follow(events, jobId, new PrintWriter(new StringWriter()), JobWatch.Health.ASSUMED,
                new Patience(Optional.of(JOB_BOUND), Optional.empty()));
    }

    @Override
    public void close() {
        events.close();
    }

    private static String topicOf(JobEvent event) {
        return event instanceof PruneRequested ? Topics.REQUESTS : Topics.PLANS;
    }
}
