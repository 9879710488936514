package io.reapomni.service;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.reapomni.common.events.EventCodec;
import io.reapomni.common.events.JobEvent;
import io.reapomni.common.events.JobFailed;
import io.reapomni.common.events.JobPhase;
import io.reapomni.common.events.JobPlanned;
import io.reapomni.common.events.MalformedEventException;
import io.reapomni.common.testing.TestJobs;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.MDC;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class JobEventConsumerTest {

    private static final String SERVICE = "test-service";
    private static final Duration HOUR = Duration.ofHours(1);
    private static final HandlerDeadlines DEADLINES = new HandlerDeadlines(HOUR, HOUR, HOUR, HOUR, HOUR, HOUR);

    private final RecordingEmitter jobEvents = RecordingEmitter.accepting();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RecordedExitProfile.RecordedExit exit = new RecordedExitProfile.RecordedExit();
    private final JobEventConsumer consumer = new JobEventConsumer(new EventPublisher(jobEvents),
            new ServiceMetrics(registry, SERVICE), exit, DEADLINES);

    @Test
    void handsTheDecodedEventToTheHandlerWithTheJobIdInTheLogContextAndAcks() {
        JobPlanned event = TestJobs.planned("job-1");
        AtomicReference<JobPlanned> handled = new AtomicReference<>();
        AtomicReference<Object> loggedJobId = new AtomicReference<>();
        TrackedMessage message = new TrackedMessage(EventCodec.encode(event));

        consumer.consume(message.message(), JobPlanned.class, JobPhase.SCORING, received -> {
            handled.set(received);
            loggedJobId.set(MDC.get(JobEventConsumer.JOB_ID_MDC_KEY));
        });

        assertThat(handled.get()).isEqualTo(event);
        assertThat(loggedJobId.get()).isEqualTo("job-1");
        assertThat(MDC.get(JobEventConsumer.JOB_ID_MDC_KEY)).isNull();
        assertThat(message.acked()).isTrue();
        assertThat(jobEvents.sent()).isEmpty();
        assertThat(count("reap.jobs.started")).isEqualTo(1);
        assertThat(count("reap.jobs.completed")).isEqualTo(1);
        assertThat(registry.get("reap.jobs.duration").tag("outcome", "completed").timer().count()).isEqualTo(1);
    }

    @Test
    void aRejectedJobFailsWithItsReasonAndTheMessageIsAcked() {
        TrackedMessage message = new TrackedMessage(EventCodec.encode(TestJobs.planned("job-2")));

        consumer.consume(message.message(), JobPlanned.class, JobPhase.SCORING, received -> {
            throw new JobRejectedException("layer 99 does not exist: the model has 4 layers");
        });

        assertThat(message.acked()).isTrue();
        assertThat(publishedFailures()).singleElement().satisfies(failed -> {
            assertThat(failed.jobId()).isEqualTo("job-2");
            assertThat(failed.phase()).isEqualTo(JobPhase.SCORING);
            assertThat(failed.reason()).isEqualTo("layer 99 does not exist: the model has 4 layers");
        });
        assertThat(jobEvents.sent().get(0).getMetadata(OutgoingKafkaRecordMetadata.class))
                .hasValueSatisfying(metadata -> assertThat(metadata.getKey()).isEqualTo("job-2"));
        assertThat(registry.get("reap.jobs.failed").tag("cause", "rejected").counter().count()).isEqualTo(1);
    }

    @Test
    void aHandlerExceptionFailsTheJobNamingTheServiceAndDeadLettersTheMessage() {
        TrackedMessage message = new TrackedMessage(EventCodec.encode(TestJobs.planned("job-3")));

        consumer.consume(message.message(), JobPlanned.class, JobPhase.WRITING, received -> {
            throw new IllegalStateException("disk full");
        });

        assertThat(message.acked()).isFalse();
        assertThat(publishedFailures()).singleElement().satisfies(failed -> {
            assertThat(failed.phase()).isEqualTo(JobPhase.WRITING);
            assertThat(failed.reason()).startsWith(SERVICE + " failed during writing (IllegalStateException: disk full)")
                    .contains("dead-letter topic");
        });
        assertThat(message.nackedWith()).hasValueSatisfying(reason -> {
            assertThat(reason).hasMessage(publishedFailures().get(0).reason());
            assertThat(reason.getCause()).isInstanceOf(IllegalStateException.class);
        });
        assertThat(registry.get("reap.jobs.failed").tag("cause", "error").counter().count()).isEqualTo(1);
        assertThat(count("reap.messages.dead.lettered")).isEqualTo(1);
        assertThat(exit.reasons()).isEmpty();
    }

    @Test
    void errorsThatLeaveTheProcessSoundFailTheJobAndTheServiceGoesOn() {
        List<Error> errors = List.of(new StackOverflowError(), new NoClassDefFoundError("ai/djl/Model"),
                new AssertionError("an invariant broke"));
        for (Error error : errors) {
            TrackedMessage message = new TrackedMessage(EventCodec.encode(TestJobs.planned("job-7")));

            consumer.consume(message.message(), JobPlanned.class, JobPhase.CALIBRATION, received -> {
                throw error;
            });

            assertThat(message.nackedWith()).as(error.toString()).hasValueSatisfying(reason ->
                    assertThat(reason.getCause()).isSameAs(error));
        }
        assertThat(publishedFailures()).extracting(JobFailed::reason).satisfiesExactly(
                reason -> assertThat(reason).contains("(StackOverflowError)"),
                reason -> assertThat(reason).contains("(NoClassDefFoundError: ai/djl/Model)"),
                reason -> assertThat(reason).contains("(AssertionError: an invariant broke)"));
        assertThat(exit.reasons()).isEmpty();
    }

    @Test
    void outOfMemoryFailsTheJobDeadLettersTheMessageAndThenEndsTheService() {
        TrackedMessage message = new TrackedMessage(EventCodec.encode(TestJobs.planned("job-8")));

        consumer.consume(message.message(), JobPlanned.class, JobPhase.CALIBRATION, received -> {
            throw new OutOfMemoryError("Java heap space");
        });

        assertThat(publishedFailures()).singleElement().satisfies(failed -> assertThat(failed.reason())
                .startsWith(SERVICE + " failed during calibration (OutOfMemoryError: Java heap space); the service"
                        + " restarts: give it more memory"));
        assertThat(message.nackedWith()).isPresent();
        assertThat(exit.reasons()).singleElement().asString().contains("OutOfMemoryError", "job-8");
    }

    @Test
    void anOutOfMemoryErrorWrappedByALibraryIsFatalToo() {
        TrackedMessage message = new TrackedMessage(EventCodec.encode(TestJobs.planned("job-9")));

        consumer.consume(message.message(), JobPlanned.class, JobPhase.CALIBRATION, received -> {
            throw new java.util.concurrent.ExecutionException(new OutOfMemoryError("Direct buffer memory"));
        });

        assertThat(message.nackedWith()).isPresent();
        assertThat(exit.reasons()).hasSize(1);
    }

    @Test
    void aMalformedMessageWithAReadableJobIdFailsTheJobAndIsNackedForTheDeadLetterTopic() {
        TrackedMessage message = new TrackedMessage("{\"type\":\"JobPlanned\",\"jobId\":\"job-4\",\"schemaVersion\":1}");
        List<JobEvent> handled = new ArrayList<>();

        consumer.consume(message.message(), JobPlanned.class, JobPhase.SCORING, handled::add);

        assertThat(handled).isEmpty();
        assertThat(message.nackedWith()).containsInstanceOf(MalformedEventException.class);
        assertThat(publishedFailures()).singleElement().satisfies(failed -> {
            assertThat(failed.jobId()).isEqualTo("job-4");
            assertThat(failed.reason()).contains("JobPlanned message could not be read", "dead-letter topic");
        });
        assertThat(count("reap.messages.dead.lettered")).isEqualTo(1);
        assertThat(count("reap.jobs.started")).isZero();
    }

    @Test
    void aMessageOfAnotherEventTypeIsDeadLettered() {
        TrackedMessage message = new TrackedMessage(EventCodec.encode(JobFailed.of("job-5", JobPhase.PLANNING, "x")));

        consumer.consume(message.message(), JobPlanned.class, JobPhase.SCORING, event -> {
        });

        assertThat(message.nackedWith()).hasValueSatisfying(reason ->
                assertThat(reason).hasMessageContaining("expected a JobPlanned event, got JobFailed"));
    }

    @Test
    void aMessageWithoutAJobIdIsOnlyDeadLettered() {
        TrackedMessage message = new TrackedMessage("not json at all");

        consumer.consume(message.message(), JobPlanned.class, JobPhase.SCORING, event -> {
        });

        assertThat(message.nackedWith()).containsInstanceOf(MalformedEventException.class);
        assertThat(jobEvents.sent()).isEmpty();
    }

    @Test
    void whenTheFailureCannotBePublishedTheMessageIsNackedSoThatItIsNotLost() {
        JobEventConsumer withoutBroker = new JobEventConsumer(new EventPublisher(RecordingEmitter.refusing()),
                new ServiceMetrics(registry, SERVICE), exit, DEADLINES);
        TrackedMessage message = new TrackedMessage(EventCodec.encode(TestJobs.planned("job-6")));

        withoutBroker.consume(message.message(), JobPlanned.class, JobPhase.SCORING, event -> {
            throw new JobRejectedException("bad request");
        });

        assertThat(message.nackedWith()).containsInstanceOf(PublishException.class);
    }

    @Test
    void aHandlerInterruptedByTheServicesShutdownLeavesItsMessageForTheNextStart() {
        TrackedMessage message = new TrackedMessage(EventCodec.encode(TestJobs.planned("job-10")));
        consumer.stopping(null);

        consumer.consume(message.message(), JobPlanned.class, JobPhase.WRITING, received -> {
            throw new java.nio.channels.ClosedByInterruptException();
        });

        assertThat(message.acked()).isFalse();
        assertThat(message.nackedWith()).isEmpty();
        assertThat(jobEvents.sent()).isEmpty();
    }

    private List<JobFailed> publishedFailures() {
        return jobEvents.sent().stream().map(sent -> decode(sent.getPayload())).map(JobFailed.class::cast).toList();
    }

    private double count(String counter) {
        return registry.find(counter).tag("service", SERVICE).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static JobEvent decode(String json) {
        try {
            return EventCodec.decode(json);
        } catch (MalformedEventException e) {
            throw new AssertionError("published an unreadable event: " + json, e);
        }
    }

    /** An incoming message that remembers whether it was acked or why it was nacked. */
    private static final class TrackedMessage {
        private final Message<String> message;
        private boolean acked;
        private Optional<Throwable> nackedWith = Optional.empty();

        TrackedMessage(String payload) {
            message = Message.of(payload, () -> {
                acked = true;
                return CompletableFuture.completedFuture(null);
            }, reason -> {
                nackedWith = Optional.of(reason);
                return CompletableFuture.completedFuture(null);
            });
        }

        Message<String> message() {
            return message;
        }

        boolean acked() {
            return acked;
        }

        Optional<Throwable> nackedWith() {
            return nackedWith;
        }
    }
}
