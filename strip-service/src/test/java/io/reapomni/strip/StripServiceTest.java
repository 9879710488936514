package io.reapomni.strip;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.events.EventCodec;
import io.reapomni.common.events.JobEvent;
import io.reapomni.common.events.JobFailed;
import io.reapomni.common.events.JobPhase;
import io.reapomni.common.events.JobPlanned;
import io.reapomni.common.events.JobProgress;
import io.reapomni.common.events.PruneRequested;
import io.reapomni.common.events.Topics;
import io.reapomni.common.job.PlanChoices;
import io.reapomni.common.job.PruneRequest;
import io.reapomni.common.plan.Strip;
import io.reapomni.service.testing.KafkaTestResource;
import io.reapomni.service.testing.S3TestResource;
import io.reapomni.service.testing.TopicProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The strip service on a real broker and a real S3 endpoint holding the fixture model. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(S3TestResource.class)
class StripServiceTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    /** Injected by {@link KafkaTestResource}. */
    TopicProbe kafka;

    @Test
    void aRequestForAModelInS3IsPlannedAndItsProgressReported() throws Exception {
        String jobId = newJobId();
        PruneRequest request = new PruneRequest(S3TestResource.FIXTURE_MODEL, "s3://" + S3TestResource.BUCKET + "/out",
                choices(List.of(0, 2, 4, 6), List.of(4)), Optional.empty());

        kafka.send(Topics.REQUESTS, jobId, EventCodec.encode(PruneRequested.of(jobId, request)));

        JobPlanned planned = awaitEvent(Topics.JOBS, jobId, JobPlanned.class);
        assertThat(planned.request()).isEqualTo(request);
        assertThat(planned.calibrationTasks()).isZero();
        assertThat(planned.staticPlan().strip()).containsExactly(Strip.VISION);
        assertThat(planned.staticPlan().keptLayersOf(MoeStack.THINKER)).contains(List.of(0, 1, 2, 3, 5));
        assertThat(planned.staticPlan().expertsOf(MoeStack.THINKER)).hasValueSatisfying(experts ->
                assertThat(experts.values()).allSatisfy(kept -> assertThat(kept).containsExactly(0, 2, 4, 6)));
        JobProgress progress = awaitEvent(Topics.JOB_EVENTS, jobId, JobProgress.class);
        assertThat(progress.phase()).isEqualTo(JobPhase.PLANNING);
    }

    @Test
    void aBadRequestEndsInJobFailedWithTheReasonAndNothingElse() throws Exception {
        String jobId = newJobId();
        PruneRequest request = new PruneRequest(S3TestResource.FIXTURE_MODEL, "s3://" + S3TestResource.BUCKET + "/out",
                choices(List.of(0, 99), List.of()), Optional.empty());

        kafka.send(Topics.REQUESTS, jobId, EventCodec.encode(PruneRequested.of(jobId, request)));

        JobFailed failed = awaitEvent(Topics.JOB_EVENTS, jobId, JobFailed.class);
        assertThat(failed.phase()).isEqualTo(JobPhase.PLANNING);
        assertThat(failed.reason()).contains("the request does not fit the model", "99");
        // JobFailed is published after the handler returned: whatever it published is on the topics by now.
        assertThat(recordsOf(Topics.JOBS, jobId)).isEmpty();
        assertThat(recordsOf(Topics.JOB_EVENTS, jobId)).hasSize(1);
    }

    @Test
    void aMalformedMessageIsDeadLetteredAndTheNextRequestIsStillPlanned() throws Exception {
        String badJobId = newJobId();
        String goodJobId = newJobId();
        String malformed = "{\"type\":\"PruneRequested\",\"jobId\":\"" + badJobId + "\",\"schemaVersion\":1}";
        PruneRequest request = new PruneRequest(S3TestResource.FIXTURE_MODEL, "s3://" + S3TestResource.BUCKET + "/out",
                choices(List.of(), List.of(2)), Optional.empty());

        kafka.send(Topics.REQUESTS, badJobId, malformed);
        kafka.send(Topics.REQUESTS, goodJobId, EventCodec.encode(PruneRequested.of(goodJobId, request)));

        ConsumerRecord<String, String> deadLetter = kafka.await(Topics.DEAD_LETTER,
                record -> badJobId.equals(record.key()), WAIT).orElseThrow();
        assertThat(deadLetter.value()).isEqualTo(malformed);
        assertThat(new String(deadLetter.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                .contains("unreadable event");
        assertThat(awaitEvent(Topics.JOB_EVENTS, badJobId, JobFailed.class).reason())
                .contains("could not be read", "dead-letter topic");
        assertThat(awaitEvent(Topics.JOBS, goodJobId, JobPlanned.class).staticPlan().keptLayersOf(MoeStack.THINKER))
                .contains(List.of(0, 1, 3, 4, 5));
    }

    private <T extends JobEvent> T awaitEvent(String topic, String jobId, Class<T> type) {
        return kafka.awaitEvent(topic, jobId, type, WAIT);
    }

    private List<ConsumerRecord<String, String>> recordsOf(String topic, String jobId) {
        return kafka.readToEnd(topic, WAIT).stream().filter(record -> jobId.equals(record.key())).toList();
    }

    private static PlanChoices choices(List<Integer> keepExperts, List<Integer> pruneLayers) {
        return new PlanChoices(Set.of(Strip.VISION), MoeStack.THINKER, keepExperts, new TreeMap<>(), pruneLayers,
                Optional.empty());
    }

    private static String newJobId() {
        return UUID.randomUUID().toString();
    }
}
