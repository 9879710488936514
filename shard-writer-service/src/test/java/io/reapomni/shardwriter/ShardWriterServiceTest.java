package io.reapomni.shardwriter;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.reapomni.common.events.EventCodec;
import io.reapomni.common.events.JobCompleted;
import io.reapomni.common.events.JobEvent;
import io.reapomni.common.events.JobFailed;
import io.reapomni.common.events.MalformedEventException;
import io.reapomni.common.events.PlanReady;
import io.reapomni.common.events.Topics;
import io.reapomni.common.plan.PruningPlan;
import io.reapomni.common.rewrite.RewriteReport;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.StoreLocation;
import io.reapomni.service.StorageSettings;
import io.reapomni.service.testing.KafkaTestResource;
import io.reapomni.service.testing.S3TestResource;
import io.reapomni.service.testing.TopicProbe;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The service on a real broker and a real S3 endpoint holding the fixture. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(S3TestResource.class)
class ShardWriterServiceTest {
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(60);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    StorageSettings storage;

    @TempDir
    Path folder;

    @Test
    void aPlanIsWrittenOnceAsTheDirectRewriteWouldAndADuplicateCompletesWithoutWriting() throws Exception {
        PruningPlan plan = FixturePlans.stripExpertsAndLayers();
        PlanReady planReady = planReady(plan);

        try (TopicProbe probe = new TopicProbe(bootstrapServers);
             ObjectStore output = storage.open(StoreLocation.parse(planReady.outputPath()))) {
            probe.send(Topics.PLANS, planReady.jobId(), EventCodec.encode(planReady));
            ConsumerRecord<String, String> first = awaitEnd(probe, planReady.jobId(), -1);
            assertThat(decode(first)).isInstanceOf(JobCompleted.class);
            assertThat(FixturePlans.modelFiles(output))
                    .containsExactlyInAnyOrderEntriesOf(FixturePlans.directRewrite(plan, folder.resolve("direct")));
            byte[] report = output.readAll(RewriteReport.JSON_FILE, 1 << 20);

            probe.send(Topics.PLANS, planReady.jobId(), EventCodec.encode(planReady));
            ConsumerRecord<String, String> second = awaitEnd(probe, planReady.jobId(), first.offset());

            JobEvent firstEnd = decode(first);
            assertThat(decode(second)).isInstanceOfSatisfying(JobCompleted.class, completed ->
                    assertThat(completed).usingRecursiveComparison().ignoringFields("timestamp", "seconds")
                            .isEqualTo(firstEnd));
            // The report records the run's timings: a second write would have changed it.
            assertThat(output.readAll(RewriteReport.JSON_FILE, 1 << 20)).isEqualTo(report);
        }
    }

    @Test
    void aPlanThatDoesNotFitTheModelFailsTheJobAndWritesNothing() throws Exception {
        PlanReady planReady = planReady(FixturePlans.keepingMissingLayer());

        try (TopicProbe probe = new TopicProbe(bootstrapServers);
             ObjectStore output = storage.open(StoreLocation.parse(planReady.outputPath()))) {
            probe.send(Topics.PLANS, planReady.jobId(), EventCodec.encode(planReady));

            assertThat(decode(awaitEnd(probe, planReady.jobId(), -1))).isInstanceOfSatisfying(JobFailed.class,
                    failed -> assertThat(failed.reason()).startsWith("the plan does not fit the model at"));
            assertThat(output.list()).isEmpty();
        }
    }

    private static PlanReady planReady(PruningPlan plan) {
        String jobId = "job-" + UUID.randomUUID();
        return PlanReady.of(jobId, S3TestResource.FIXTURE_MODEL, "s3://" + S3TestResource.BUCKET + "/pruned/" + jobId,
                plan);
    }

    /** The first JobCompleted or JobFailed of the job after offset {@code after} on the job-events topic. */
    private static ConsumerRecord<String, String> awaitEnd(TopicProbe probe, String jobId, long after) {
        return probe.await(Topics.JOB_EVENTS, record -> record.offset() > after && jobId.equals(record.key())
                        && (record.value().contains("\"JobCompleted\"") || record.value().contains("\"JobFailed\"")),
                JOB_TIMEOUT).orElseThrow(() -> new AssertionError("job " + jobId + " did not end within " + JOB_TIMEOUT));
    }

    private static JobEvent decode(ConsumerRecord<String, String> record) throws MalformedEventException {
        return EventCodec.decode(record.value());
    }
}
