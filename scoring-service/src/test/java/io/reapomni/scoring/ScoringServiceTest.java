package io.reapomni.scoring;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.reapomni.common.events.EventCodec;
import io.reapomni.common.events.JobEvent;
import io.reapomni.common.events.JobFailed;
import io.reapomni.common.events.JobPhase;
import io.reapomni.common.events.JobPlanned;
import io.reapomni.common.events.MalformedEventException;
import io.reapomni.common.events.PlanReady;
import io.reapomni.common.events.Topics;
import io.reapomni.common.testing.TestJobs;
import io.reapomni.service.testing.KafkaTestResource;
import io.reapomni.service.testing.TopicProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The scoring service on a real broker. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
class ScoringServiceTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    /** Injected by {@link KafkaTestResource}. */
    TopicProbe kafka;

    @Test
    void aPlannedJobWithoutCalibrationBecomesAReadyPlan() throws Exception {
        JobPlanned planned = TestJobs.plannedExample(newJobId());

        kafka.send(Topics.JOBS, planned.jobId(), EventCodec.encode(planned));

        PlanReady ready = kafka.awaitEvent(Topics.PLANS, planned.jobId(), PlanReady.class, WAIT);
        assertThat(ready.plan()).isEqualTo(planned.staticPlan());
        assertThat(ready.modelPath()).isEqualTo(planned.request().modelPath());
        assertThat(ready.outputPath()).isEqualTo(planned.request().outputPath().orElseThrow());
    }

    @Test
    void aRedeliveredPlannedJobPublishesTheSamePlanAgainForTheShardWriterToDeduplicate() throws Exception {
        JobPlanned planned = TestJobs.plannedExample(newJobId());

        kafka.send(Topics.JOBS, planned.jobId(), EventCodec.encode(planned));
        kafka.send(Topics.JOBS, planned.jobId(), EventCodec.encode(planned));

        List<ConsumerRecord<String, String>> plans = kafka.await(Topics.PLANS,
                record -> planned.jobId().equals(record.key()), 2, WAIT);
        assertThat(plans).hasSize(2).allSatisfy(record ->
                assertThat(decode(record, PlanReady.class).plan()).isEqualTo(planned.staticPlan()));
    }

    @Test
    void aMalformedMessageIsDeadLetteredAndTheNextJobIsStillScored() throws Exception {
        String badJobId = newJobId();
        JobPlanned planned = TestJobs.plannedExample(newJobId());

        kafka.send(Topics.JOBS, badJobId, "{\"type\":\"JobPlanned\",\"jobId\":\"" + badJobId + "\"}");
        kafka.send(Topics.JOBS, planned.jobId(), EventCodec.encode(planned));

        assertThat(awaitRecord(Topics.DEAD_LETTER, badJobId).headers().lastHeader("dead-letter-reason")).isNotNull();
        assertThat(kafka.awaitEvent(Topics.JOB_EVENTS, badJobId, JobFailed.class, WAIT).phase())
                .isEqualTo(JobPhase.SCORING);
        assertThat(kafka.awaitEvent(Topics.PLANS, planned.jobId(), PlanReady.class, WAIT).plan())
                .isEqualTo(planned.staticPlan());
    }

    private ConsumerRecord<String, String> awaitRecord(String topic, String jobId) {
        return kafka.await(topic, record -> jobId.equals(record.key()), WAIT)
                .orElseThrow(() -> new AssertionError("nothing for job " + jobId + " on " + topic + " within " + WAIT));
    }

    private static <T extends JobEvent> T decode(ConsumerRecord<String, String> record, Class<T> type) {
        try {
            return EventCodec.decode(record.value(), type);
        } catch (MalformedEventException e) {
            throw new AssertionError("unreadable " + type.getSimpleName() + ": " + record.value(), e);
        }
    }

    private static String newJobId() {
        return UUID.randomUUID().toString();
    }
}
