package io.reapomni.scoring;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.events.CalibrationStatsReported;
import io.reapomni.common.events.EventCodec;
import io.reapomni.common.events.JobEvent;
import io.reapomni.common.events.JobFailed;
import io.reapomni.common.events.JobPlanned;
import io.reapomni.common.events.PlanReady;
import io.reapomni.common.events.Topics;
import io.reapomni.common.plan.ScoringEvidence;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.StoreLocation;
import io.reapomni.common.testing.TestJobs;
import io.reapomni.scoring.jobs.JobStateStore;
import io.reapomni.scoring.jobs.ScoringJobs;
import io.reapomni.service.StorageSettings;
import io.reapomni.service.testing.KafkaTestResource;
import io.reapomni.service.testing.S3TestResource;
import io.reapomni.service.testing.TopicProbe;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Calibrated jobs through the scoring service, on a real broker, with the model and the state in real S3. */
@QuarkusTest
@TestProfile(S3StateProfile.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(S3TestResource.class)
class CalibratedScoringServiceTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Alone, task a would keep experts 0..3; merged with b (REAP means over both), 4..7 win in every layer. */
    private static final double[] TASK_A = {8, 7, 6, 5, 4, 3, 2, 1};
    private static final double[] TASK_B = {0, 0, 0, 0, 10, 10, 10, 10};

    /** Injected by {@link KafkaTestResource}. */
    TopicProbe kafka;

    @Inject
    StorageSettings storage;

    @Test
    void oneReadyPlanOnceBothTasksAreInWhateverTheOrderAndDuplicates() throws Exception {
        JobPlanned planned = planned();

        send(Topics.JOBS, planned);
        send(Topics.CALIBRATION_STATS, task(planned, "b", TASK_B));
        send(Topics.CALIBRATION_STATS, task(planned, "b", TASK_B));
        send(Topics.CALIBRATION_STATS, task(planned, "a", TASK_A));

        PlanReady ready = kafka.awaitEvent(Topics.PLANS, planned.jobId(), PlanReady.class, WAIT);
        assertThat(ready.plan().expertsOf(MoeStack.THINKER).orElseThrow().values())
                .hasSize(StatsDocuments.LAYERS).containsOnly(List.of(4, 5, 6, 7));
        assertThat(ScoringEvidence.fromPlanEvidence(ready.plan().evidence()).orElseThrow().calibrationData())
                .singleElement().satisfies(audio -> assertThat(audio.samples()).isEqualTo(2));
        // the statistics topic is handled in order, so everything sent was handled when the plan came
        assertThat(kafka.readToEnd(Topics.PLANS, WAIT))
                .filteredOn(record -> planned.jobId().equals(record.key())).hasSize(1);
    }

    @Test
    void theServiceCompletesAJobFromTheStateAnotherInstanceKept() throws Exception {
        JobPlanned planned = planned();
        List<JobEvent> publishedByTheOldInstance = new ArrayList<>();
        try (ObjectStore state = storage.open(StoreLocation.parse(S3StateProfile.STATE))) {
            ScoringJobs oldInstance = new ScoringJobs(new JobStateStore(state), storage::open,
                    publishedByTheOldInstance::add, Duration.ofHours(1));
            oldInstance.planned(planned);
            oldInstance.statsReported(task(planned, "a", TASK_A));
        }

        send(Topics.CALIBRATION_STATS, task(planned, "b", TASK_B));

        assertThat(publishedByTheOldInstance).noneMatch(PlanReady.class::isInstance);
        PlanReady ready = kafka.awaitEvent(Topics.PLANS, planned.jobId(), PlanReady.class, WAIT);
        assertThat(ready.plan().expertsOf(MoeStack.THINKER).orElseThrow().get(0)).containsExactly(4, 5, 6, 7);
    }

    @Test
    void aJobWhoseTasksHadNoUsableAudioSampleFails() throws Exception {
        JobPlanned planned = planned();

        send(Topics.JOBS, planned);
        send(Topics.CALIBRATION_STATS, StatsDocuments.task(planned.jobId(), "a", 2,
                StatsDocuments.allSkipped("clip-1", "not a WAV file")));
        send(Topics.CALIBRATION_STATS, StatsDocuments.task(planned.jobId(), "b", 2,
                StatsDocuments.allSkipped("clip-2", "not a WAV file")));

        JobFailed failed = kafka.awaitEvent(Topics.JOB_EVENTS, planned.jobId(), JobFailed.class, WAIT);
        assertThat(failed.reason()).startsWith("no usable audio sample").contains("clip-2: not a WAV file");
    }

    /** Statistics that do not parse make the whole event unreadable: it is dead-lettered and its job fails. */
    @Test
    void unreadableStatisticsFailTheJob() throws Exception {
        JobPlanned planned = planned();

        send(Topics.JOBS, planned);
        kafka.send(Topics.CALIBRATION_STATS, planned.jobId(), "{\"type\": \"CalibrationStatsReported\","
                + " \"jobId\": \"" + planned.jobId() + "\", \"schemaVersion\": 1,"
                + " \"timestamp\": \"2024-01-01T00:00:00Z\", \"taskId\": \"a\", \"tasks\": 2,"
                + " \"stats\": {\"modalities\": 3}}");

        JobFailed failed = kafka.awaitEvent(Topics.JOB_EVENTS, planned.jobId(), JobFailed.class, WAIT);
        assertThat(failed.reason()).contains("CalibrationStatsReported message could not be read");
    }

    private static JobPlanned planned() throws Exception {
        return TestJobs.plannedCalibration(UUID.randomUUID().toString(), S3TestResource.FIXTURE_MODEL, 2);
    }

    private static CalibrationStatsReported task(JobPlanned planned, String taskId, double[] saliency) {
        return StatsDocuments.task(planned.jobId(), taskId, 2, StatsDocuments.audio(1, 8, saliency));
    }

    private void send(String topic, JobEvent event) throws Exception {
        kafka.send(topic, event.key(), EventCodec.encode(event));
    }
}
