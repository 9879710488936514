package io.reapomni.service;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.reapomni.common.events.EventCodec;
import io.reapomni.common.events.JobFailed;
import io.reapomni.common.events.Topics;
import io.reapomni.common.testing.TestJobs;
import io.reapomni.service.testing.KafkaTestResource;
import io.reapomni.service.testing.TopicProbe;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Errors thrown by a handler, on a real broker with the services' failure strategy: each ends its job with
 * {@code JobFailed}, its message goes to the dead-letter topic with the reason, the partition goes on to the next
 * message, and only the error that leaves the process unsound asks for the service to exit.
 */
@QuarkusTest
@TestProfile(RecordedExitProfile.class)
@WithTestResource(KafkaTestResource.class)
class FailuresOnTheBrokerTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    /** Injected by {@link KafkaTestResource}. */
    TopicProbe kafka;

    @Inject
    InjectedFailures handler;

    @Inject
    ServiceExit exit;

    @Test
    void errorsInAHandlerFailTheirJobsAreDeadLetteredAndTheMessagesBehindThemAreHandled() throws Exception {
        List<String> failing = List.of("stack-overflow-1", "linkage-1", "oom-1");
        for (String jobId : failing) {
            kafka.send(Topics.JOBS, jobId, EventCodec.encode(TestJobs.planned(jobId)));
        }
        kafka.send(Topics.JOBS, "after-errors", EventCodec.encode(TestJobs.planned("after-errors")));

        Map<String, String> reasons = failing.stream().collect(Collectors.toMap(jobId -> jobId,
                jobId -> kafka.awaitEvent(Topics.JOB_EVENTS, jobId, JobFailed.class, WAIT).reason()));
        assertThat(reasons.get("stack-overflow-1")).startsWith("service-support-test failed during scoring"
                + " (StackOverflowError)");
        assertThat(reasons.get("linkage-1")).contains("(NoClassDefFoundError: ai/djl/engine/Engine)");
        assertThat(reasons.get("oom-1")).contains("(OutOfMemoryError: Java heap space); the service restarts");

        List<ConsumerRecord<String, String>> deadLetters = kafka.await(Topics.DEAD_LETTER,
                record -> failing.contains(record.key()), failing.size(), WAIT);
        assertThat(deadLetters).extracting(ConsumerRecord::key).containsExactlyElementsOf(failing);
        for (ConsumerRecord<String, String> deadLetter : deadLetters) {
            assertThat(header(deadLetter, "dead-letter-reason")).isEqualTo(reasons.get(deadLetter.key()));
            assertThat(header(deadLetter, "dead-letter-topic")).isEqualTo(Topics.JOBS);
        }
        assertThat(deadLetters).extracting(record -> header(record, "dead-letter-cause-class-name"))
                .containsExactly(StackOverflowError.class.getName(), NoClassDefFoundError.class.getName(),
                        OutOfMemoryError.class.getName());

        awaitHandled("after-errors");
        assertThat(exitReasons()).filteredOn(reason -> reason.contains("OutOfMemoryError")).singleElement()
                .asString().contains("oom-1");
    }

    @Test
    void aHandlerPastItsDeadlineFailsItsJobIsStoppedAndTheMessagesBehindItAreHandled() throws Exception {
        kafka.send(Topics.JOBS, "hang-1", EventCodec.encode(TestJobs.planned("hang-1")));
        kafka.send(Topics.JOBS, "after-hang", EventCodec.encode(TestJobs.planned("after-hang")));

        JobFailed failed = kafka.awaitEvent(Topics.JOB_EVENTS, "hang-1", JobFailed.class, WAIT);
        assertThat(failed.reason()).startsWith("service-support-test did not finish scoring of this job within 3 s"
                + " (REAP_DEADLINE_SCORING), so the job failed and its work there was stopped.");
        ConsumerRecord<String, String> deadLetter = kafka.await(Topics.DEAD_LETTER,
                record -> "hang-1".equals(record.key()), WAIT).orElseThrow();
        assertThat(header(deadLetter, "dead-letter-reason")).isEqualTo(failed.reason());
        awaitHandled("after-hang");
        assertThat(kafka.readToEnd(Topics.JOB_EVENTS, WAIT)).filteredOn(record -> "hang-1".equals(record.key()))
                .as("what the interrupted handler tried to publish after its deadline")
                .extracting(ConsumerRecord::value).noneMatch(value -> value.contains("JobProgress"));
        assertThat(exitReasons()).noneMatch(reason -> reason.contains("hang-1"));
    }

    @Test
    void aHandlerThatDoesNotStopAtItsDeadlineEndsTheServiceAfterTheGrace() throws Exception {
        try {
            kafka.send(Topics.JOBS, "stuck-1", EventCodec.encode(TestJobs.planned("stuck-1")));

            assertThat(kafka.awaitEvent(Topics.JOB_EVENTS, "stuck-1", JobFailed.class, WAIT).reason())
                    .contains("did not finish scoring of this job within 3 s");
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (exitReasons().stream().noneMatch(reason -> reason.contains("stuck-1"))) {
                assertThat(System.nanoTime()).as("the exit asked for within %s", WAIT).isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(exitReasons()).filteredOn(reason -> reason.contains("stuck-1")).singleElement().asString()
                    .contains("did not stop within 3 s of being interrupted at its deadline");
        } finally {
            handler.release();
        }
    }

    private List<String> exitReasons() {
        return ((RecordedExitProfile.RecordedExit) exit).reasons();
    }

    private void awaitHandled(String jobId) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!handler.handled().contains(jobId)) {
            assertThat(System.nanoTime()).as("job %s handled within %s", jobId, WAIT).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
