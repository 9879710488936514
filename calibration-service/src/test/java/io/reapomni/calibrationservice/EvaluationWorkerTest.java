package io.reapomni.calibrationservice;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.evaluation.QualityReport;
import io.reapomni.common.evaluation.SampleQuality;
import io.reapomni.common.events.EvaluationReported;
import io.reapomni.common.events.EvaluationTask;
import io.reapomni.common.events.EventCodec;
import io.reapomni.common.events.JobFailed;
import io.reapomni.common.events.JobPhase;
import io.reapomni.common.events.JobProgress;
import io.reapomni.common.events.MalformedEventException;
import io.reapomni.common.events.Topics;
import io.reapomni.common.job.HeldOutSamples;
import io.reapomni.common.job.PlanChoices;
import io.reapomni.common.rewrite.TestModels;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.StoreLocation;
import io.reapomni.common.testing.TestJobs;
import io.reapomni.service.StorageSettings;
import io.reapomni.service.testing.KafkaTestResource;
import io.reapomni.service.testing.S3TestResource;
import io.reapomni.service.testing.TopicProbe;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The worker's evaluation of a written model, on a real broker and a real S3 endpoint holding both models. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(S3TestResource.class)
class EvaluationWorkerTest {

    private static final Duration WAIT = Duration.ofMinutes(2);

    /** Injected by {@link KafkaTestResource}. */
    TopicProbe kafka;

    @Inject
    StorageSettings storage;

    @Test
    void anEvaluationTaskBecomesTheQualityOfTheWrittenModel() throws Exception {
        String jobId = UUID.randomUUID().toString();
        String data = "s3://" + S3TestResource.BUCKET + "/calib-" + jobId;
        StoreLocation written = StoreLocation.parse("s3://" + S3TestResource.BUCKET + "/pruned-" + jobId);
        try (ObjectStore store = storage.open(StoreLocation.parse(data))) {
            FixtureCalibrationData.write(store);
        }
        writePruned(written, jobId);
        EvaluationTask task = EvaluationTask.of(jobId, StoreLocation.parse(S3TestResource.FIXTURE_MODEL), written,
                new HeldOutSamples(data + "/" + FixtureCalibrationData.FILE, 0, FixtureCalibrationData.SAMPLES, 3));

        kafka.send(Topics.EVALUATION_TASKS, jobId, EventCodec.encode(task));

        ConsumerRecord<String, String> record = kafka.await(Topics.EVALUATIONS,
                candidate -> jobId.equals(candidate.key()), WAIT).orElseThrow(() ->
                new AssertionError("no evaluation of job " + jobId + " within " + WAIT));
        EvaluationReported reported = EventCodec.decode(record.value(), EvaluationReported.class);
        QualityReport quality = reported.quality();
        assertThat(reported.outputPath()).isEqualTo(written);
        assertThat(quality.samples()).extracting(SampleQuality::id)
                .containsExactly("fixture-audio", "greeting", "weather");
        assertThat(quality.skipped()).extracting(skipped -> skipped.id()).containsExactly("empty");
        assertThat(quality.samples()).allSatisfy(sample -> {
            assertThat(sample.klMean()).isPositive();
            assertThat(sample.generatedPruned().tokenIds()).hasSize(3);
        });
        List<JobProgress> progress = kafka.readToEnd(Topics.JOB_EVENTS, WAIT).stream()
                .filter(event -> jobId.equals(event.key())).map(event -> decodeProgress(event.value())).toList();
        assertThat(progress).allSatisfy(event -> assertThat(event.phase()).isEqualTo(JobPhase.EVALUATION));
        assertThat(progress).filteredOn(event -> event.unit().equals("layers")).isNotEmpty()
                .allSatisfy(event -> assertThat(event.detail()).startsWith("evaluation of " + written + ", "));
        assertThat(progress.get(progress.size() - 1).detail())
                .startsWith("quality on 3 held-out audio samples: KL ");
    }

    @Test
    void aWrittenModelThatIsNotThereFailsItsJobSayingWhereItWasToBe() throws Exception {
        String jobId = UUID.randomUUID().toString();
        StoreLocation missing = StoreLocation.parse("s3://" + S3TestResource.BUCKET + "/never-written-" + jobId);
        EvaluationTask task = EvaluationTask.of(jobId, StoreLocation.parse(S3TestResource.FIXTURE_MODEL), missing,
                new HeldOutSamples("s3://" + S3TestResource.BUCKET + "/calib/audio.jsonl", 0, 1, 3));

        kafka.send(Topics.EVALUATION_TASKS, jobId, EventCodec.encode(task));

        JobFailed failed = kafka.awaitEvent(Topics.JOB_EVENTS, jobId, JobFailed.class, WAIT);
        assertThat(failed.phase()).isEqualTo(JobPhase.EVALUATION);
        assertThat(failed.reason()).startsWith("the pruned model was written to " + missing
                + ", but it cannot be evaluated: ");
    }

    private static JobProgress decodeProgress(String json) {
        try {
            return EventCodec.decode(json, JobProgress.class);
        } catch (MalformedEventException e) {
            throw new AssertionError("a job event of the evaluation is not a JobProgress: " + json, e);
        }
    }

    /** The README's example output of the fixture, written into S3 by the project's rewriter. */
    private void writePruned(StoreLocation output, String jobId) throws Exception {
        PlanChoices choices = TestJobs.readmeExample();
        try (ObjectStore source = storage.open(StoreLocation.parse(S3TestResource.FIXTURE_MODEL))) {
            TestModels.rewrite(source, choices.plan(Checkpoint.open(source)), output,
                    storage::s3, jobId);
        }
    }
}
