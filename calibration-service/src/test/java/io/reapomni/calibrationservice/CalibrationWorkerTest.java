package io.reapomni.calibrationservice;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.reapomni.common.calibration.ModalityStats;
import io.reapomni.common.events.CalibrationStatsReported;
import io.reapomni.common.events.CalibrationTask;
import io.reapomni.common.events.EventCodec;
import io.reapomni.common.events.JobEvent;
import io.reapomni.common.events.JobFailed;
import io.reapomni.common.events.JobPhase;
import io.reapomni.common.events.JobProgress;
import io.reapomni.common.events.Topics;
import io.reapomni.common.job.Modality;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.StoreLocation;
import io.reapomni.service.StorageSettings;
import io.reapomni.service.testing.KafkaTestResource;
import io.reapomni.service.testing.S3TestResource;
import io.reapomni.service.testing.TopicProbe;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The calibration worker on a real broker and a real S3 endpoint holding the fixture model and calibration data. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(S3TestResource.class)
class CalibrationWorkerTest {

    private static final Duration WAIT = Duration.ofMinutes(2);

    /** Injected by {@link KafkaTestResource}. */
    TopicProbe kafka;

    @Inject
    StorageSettings storage;

    @Test
    void aTaskInBecomesItsStatisticsAndProgressOut() throws Exception {
        String jobId = UUID.randomUUID().toString();
        String folder = "s3://" + S3TestResource.BUCKET + "/calib-" + jobId;
        try (ObjectStore store = storage.open(StoreLocation.parse(folder))) {
            FixtureCalibrationData.write(store);
        }
        CalibrationTask task = new CalibrationTask(jobId, JobEvent.SCHEMA_VERSION, Instant.now(), jobId + ":task:0",
                3, StoreLocation.parse(S3TestResource.FIXTURE_MODEL), List.of(new CalibrationTask.Slice(Modality.AUDIO,
                folder + "/" + FixtureCalibrationData.FILE, 0, 3)));

        kafka.send(Topics.CALIBRATION_TASKS, task.taskId(), EventCodec.encode(task));

        ConsumerRecord<String, String> record = kafka.await(Topics.CALIBRATION_STATS,
                candidate -> jobId.equals(candidate.key()), WAIT).orElseThrow(() ->
                new AssertionError("no statistics of job " + jobId + " within " + WAIT));
        CalibrationStatsReported reported = EventCodec.decode(record.value(), CalibrationStatsReported.class);
        assertThat(reported.taskId()).isEqualTo(task.taskId());
        assertThat(reported.tasks()).isEqualTo(3);
        ModalityStats audio = reported.stats().modalities().get("audio");
        assertThat(audio.samples()).isEqualTo(2);
        assertThat(audio.skipped()).extracting(skipped -> skipped.id()).containsExactly("empty");
        JobProgress progress = kafka.awaitEvent(Topics.JOB_EVENTS, jobId, JobProgress.class, WAIT);
        assertThat(progress.phase()).isEqualTo(JobPhase.CALIBRATION);
        assertThat(progress.detail()).contains(task.taskId());
    }

    @Test
    void aTaskOnAModelThatIsNotThereFailsItsJob() throws Exception {
        String jobId = UUID.randomUUID().toString();
        StoreLocation missingModel = StoreLocation.parse("s3://" + S3TestResource.BUCKET + "/no-model-" + jobId);
        CalibrationTask task = new CalibrationTask(jobId, JobEvent.SCHEMA_VERSION, Instant.now(), jobId + ":task:0",
                1, missingModel, List.of(new CalibrationTask.Slice(Modality.AUDIO,
                "s3://" + S3TestResource.BUCKET + "/calib/audio.jsonl", 0, 1)));

        kafka.send(Topics.CALIBRATION_TASKS, task.taskId(), EventCodec.encode(task));

        JobFailed failed = kafka.awaitEvent(Topics.JOB_EVENTS, jobId, JobFailed.class, WAIT);
        assertThat(failed.phase()).isEqualTo(JobPhase.CALIBRATION);
        assertThat(failed.reason()).contains("the model at " + missingModel);
        assertThat(kafka.readToEnd(Topics.CALIBRATION_STATS, WAIT)).noneMatch(stats -> jobId.equals(stats.key()));
    }
}
