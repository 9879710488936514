package io.reapomni.shardwriter;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.reapomni.common.calibration.ConversionLoss;
import io.reapomni.common.evaluation.Continuation;
import io.reapomni.common.evaluation.ConversionLossByModel;
import io.reapomni.common.evaluation.QualityReport;
import io.reapomni.common.evaluation.SampleQuality;
import io.reapomni.common.events.EvaluationReported;
import io.reapomni.common.events.EvaluationTask;
import io.reapomni.common.events.EventCodec;
import io.reapomni.common.events.JobCompleted;
import io.reapomni.common.events.JobEvent;
import io.reapomni.common.events.JobFailed;
import io.reapomni.common.events.JobPhase;
import io.reapomni.common.events.JobProgress;
import io.reapomni.common.events.MalformedEventException;
import io.reapomni.common.events.PlanReady;
import io.reapomni.common.events.Topics;
import io.reapomni.common.job.HeldOutSamples;
import io.reapomni.common.plan.PruningPlan;
import io.reapomni.common.report.ReportFigures;
import io.reapomni.common.rewrite.ReportFiles;
import io.reapomni.common.rewrite.RewriteFixture;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
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
             ObjectStore output = storage.open(planReady.outputPath())) {
            probe.send(Topics.PLANS, planReady.jobId(), EventCodec.encode(planReady));
            ConsumerRecord<String, String> first = awaitEnd(probe, planReady.jobId(), -1);
            assertThat(decode(first)).isInstanceOf(JobCompleted.class);
            assertThat(RewriteFixture.modelFiles(output))
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
             ObjectStore output = storage.open(planReady.outputPath())) {
            probe.send(Topics.PLANS, planReady.jobId(), EventCodec.encode(planReady));

            assertThat(decode(awaitEnd(probe, planReady.jobId(), -1))).isInstanceOfSatisfying(JobFailed.class,
                    failed -> assertThat(failed.reason()).startsWith("the plan does not fit the model at"));
            assertThat(output.list()).isEmpty();
        }
    }

    @Test
    void aJobThatEvaluatesAsksTheWorkersAndCompletesWithTheQualityTheyReport() throws Exception {
        PruningPlan plan = FixturePlans.stripExpertsAndLayers();
        HeldOutSamples samples = new HeldOutSamples("s3://" + S3TestResource.BUCKET + "/calib/audio.jsonl", 6, 1, 2);
        PlanReady written = planReady(plan);
        PlanReady planReady = PlanReady.of(written.jobId(), written.modelPath(), written.outputPath(), plan,
                Optional.of(samples));
        QualityReport quality = QualityReport.of(planReady.modelPath().toString(), planReady.outputPath().toString(),
                samples.dataFile(), 6,
                1, 2, List.of(new SampleQuality("clip-6", 12, 11, 4, 0.03, 0.05, 0.75, OptionalDouble.of(2.5),
                        OptionalDouble.of(2.75), new Continuation(List.of(3, 4), "ab", false),
                        new Continuation(List.of(3, 5), "ac", false))), List.of(),
                new ConversionLossByModel(ConversionLoss.NONE, new ConversionLoss(2, 1)));

        try (TopicProbe probe = new TopicProbe(bootstrapServers);
             ObjectStore output = storage.open(planReady.outputPath())) {
            probe.send(Topics.PLANS, planReady.jobId(), EventCodec.encode(planReady));
            EvaluationTask task = probe.awaitEvent(Topics.EVALUATION_TASKS, planReady.jobId(), EvaluationTask.class,
                    JOB_TIMEOUT);
            assertThat(task.samples()).isEqualTo(samples);
            assertThat(task.modelPath()).isEqualTo(planReady.modelPath());
            assertThat(task.outputPath()).isEqualTo(planReady.outputPath());
            assertThat(output.exists("reap-manifest.json")).isTrue();
            List<JobEvent> events = new ArrayList<>();
            for (ConsumerRecord<String, String> record : probe.readToEnd(Topics.JOB_EVENTS, Duration.ofSeconds(2))) {
                if (planReady.jobId().equals(record.key())) {
                    events.add(decode(record));
                }
            }
            assertThat(events).noneMatch(JobCompleted.class::isInstance);
            assertThat(events).as("said before the task went out, so no worker's progress comes first")
                    .anySatisfy(event -> assertThat(event).isInstanceOfSatisfying(JobProgress.class, progress -> {
                        assertThat(progress.phase()).isEqualTo(JobPhase.EVALUATION);
                        assertThat(progress.detail()).startsWith("the model is written to " + planReady.outputPath());
                    }));

            probe.send(Topics.EVALUATIONS, planReady.jobId(),
                    EventCodec.encode(EvaluationReported.of(planReady.jobId(), planReady.outputPath(), quality)));

            assertThat(decode(awaitEnd(probe, planReady.jobId(), -1))).isInstanceOfSatisfying(JobCompleted.class,
                    completed -> assertThat(completed.quality()).isEqualTo(quality.average()));
            RewriteReport report = ReportFiles.readReport(output.readAll(RewriteReport.JSON_FILE, 1 << 20));
            assertThat(report.quality()).contains(quality);
            assertThat(output.exists(ReportFigures.QUALITY)).isTrue();
            assertThat(RewriteFixture.modelFiles(output))
                    .containsExactlyInAnyOrderEntriesOf(FixturePlans.directRewrite(plan, folder.resolve("direct")));
        }
    }

    private static PlanReady planReady(PruningPlan plan) {
        String jobId = "job-" + UUID.randomUUID();
        return PlanReady.of(jobId, StoreLocation.parse(S3TestResource.FIXTURE_MODEL),
                StoreLocation.parse("s3://" + S3TestResource.BUCKET + "/pruned/" + jobId),
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
