package io.reapomni.strip;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.events.CalibrationTask;
import io.reapomni.common.events.EventCodec;
import io.reapomni.common.events.JobEvent;
import io.reapomni.common.events.JobFailed;
import io.reapomni.common.events.JobPhase;
import io.reapomni.common.events.JobPlanned;
import io.reapomni.common.events.JobProgress;
import io.reapomni.common.events.PruneRequested;
import io.reapomni.common.events.Topics;
import io.reapomni.common.job.PruneRequest;
import io.reapomni.common.plan.Strip;
import io.reapomni.common.storage.CopyListener;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.Segment;
import io.reapomni.common.storage.StoreLocation;
import io.reapomni.common.testing.TestJobs;
import io.reapomni.service.StorageSettings;
import io.reapomni.service.testing.KafkaTestResource;
import io.reapomni.service.testing.S3TestResource;
import io.reapomni.service.testing.TopicProbe;
import io.reapomni.testfixtures.TinyQwen3Omni;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The strip service on a real broker and a real S3 endpoint holding the fixture model. */
@QuarkusTest
@TestProfile(StripServiceTest.ThreeWorkers.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(S3TestResource.class)
class StripServiceTest {

    /** The service configured for three calibration workers, as a deployment of three GPU workers sets it. */
    public static final class ThreeWorkers implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("reap.calibration.workers", "3");
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(60);

    /** Injected by {@link KafkaTestResource}. */
    TopicProbe kafka;

    @Inject
    StorageSettings storage;

    @Test
    void aRequestForAModelInS3IsPlannedAndItsProgressReported() throws Exception {
        String jobId = newJobId();
        PruneRequest request = new PruneRequest(StoreLocation.parse(S3TestResource.FIXTURE_MODEL),
                StoreLocation.parse("s3://" + S3TestResource.BUCKET + "/out"),
                TestJobs.stripVision(List.of(0, 2, 4, 6), List.of(4)), Optional.empty());

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
    void aCalibratedRequestIsFannedOutIntoOneTaskPerWorkerAndPlannedWithTheirCount() throws Exception {
        String jobId = newJobId();
        String dataFolder = "s3://" + S3TestResource.BUCKET + "/calib-" + jobId;
        String lines = IntStream.range(0, 40)
                .mapToObj(i -> "{\"id\": \"s" + i + "\", \"text\": \"sample " + i + "\"}\n")
                .collect(Collectors.joining());
        try (ObjectStore folder = storage.open(StoreLocation.parse(dataFolder))) {
            folder.write("audio.jsonl", List.of(new Segment.Bytes(lines.getBytes(StandardCharsets.UTF_8))),
                    CopyListener.NONE);
        }
        PruneRequest request = new PruneRequest(StoreLocation.parse(S3TestResource.FIXTURE_MODEL),
                StoreLocation.parse("s3://" + S3TestResource.BUCKET + "/out"),
                TestJobs.stripVision(), Optional.of(TestJobs.halfTheExperts(dataFolder + "/audio.jsonl", 128)));

        kafka.send(Topics.REQUESTS, jobId, EventCodec.encode(PruneRequested.of(jobId, request)));

        JobPlanned planned = awaitEvent(Topics.JOBS, jobId, JobPlanned.class);
        assertThat(planned.calibrationTasks()).isEqualTo(3);
        assertThat(recordsOf(Topics.JOB_EVENTS, jobId)).as("the end of planning, said before the tasks went out, so"
                + " that no worker's progress comes first").singleElement().satisfies(record -> assertThat(
                EventCodec.decode(record.value(), JobProgress.class).phase()).isEqualTo(JobPhase.PLANNING));
        List<CalibrationTask> tasks = new ArrayList<>();
        // tasks are published before the plan that counts them: all of them are on the topic by now
        for (ConsumerRecord<String, String> record : tasksOf(jobId)) {
            CalibrationTask task = EventCodec.decode(record.value(), CalibrationTask.class);
            assertThat(record.key()).isEqualTo(task.taskId());
            tasks.add(task);
        }
        assertThat(tasks).extracting(CalibrationTask::taskId)
                .containsExactly(jobId + ":task:0", jobId + ":task:1", jobId + ":task:2");
        assertThat(tasks).flatMap(CalibrationTask::slices)
                .extracting(CalibrationTask.Slice::firstSample, CalibrationTask.Slice::sampleCount)
                .containsExactly(tuple(0, 14), tuple(14, 13), tuple(27, 13));
        assertThat(tasks).extracting(CalibrationTask::tasks).containsOnly(3);
        assertThat(tasks).extracting(CalibrationTask::modelPath)
                .containsOnly(StoreLocation.parse(S3TestResource.FIXTURE_MODEL));
    }

    @Test
    void aBadRequestEndsInJobFailedWithTheReasonAndNothingElse() throws Exception {
        String jobId = newJobId();
        PruneRequest request = new PruneRequest(StoreLocation.parse(S3TestResource.FIXTURE_MODEL),
                StoreLocation.parse("s3://" + S3TestResource.BUCKET + "/out"),
                TestJobs.stripVision(List.of(0, 99), List.of()), Optional.empty());

        kafka.send(Topics.REQUESTS, jobId, EventCodec.encode(PruneRequested.of(jobId, request)));

        JobFailed failed = awaitEvent(Topics.JOB_EVENTS, jobId, JobFailed.class);
        assertThat(failed.phase()).isEqualTo(JobPhase.PLANNING);
        assertThat(failed.reason()).contains("the request does not fit the model", "99");
        // JobFailed is published after the handler returned: whatever it published is on the topics by now.
        assertThat(recordsOf(Topics.JOBS, jobId)).isEmpty();
        assertThat(recordsOf(Topics.JOB_EVENTS, jobId)).hasSize(1);
    }

    @Test
    void aRequestForLocalFoldersIsRefusedByAServiceWithoutLocalRootsNamingTheSetting() throws Exception {
        String jobId = newJobId();
        Path fixture = TinyQwen3Omni.model();
        PruneRequest request = new PruneRequest(StoreLocation.parse(fixture.toString()),
                StoreLocation.parse("s3://" + S3TestResource.BUCKET + "/out"),
                TestJobs.stripVision(List.of(0, 1), List.of()), Optional.empty());

        kafka.send(Topics.REQUESTS, jobId, EventCodec.encode(PruneRequested.of(jobId, request)));

        JobFailed failed = awaitEvent(Topics.JOB_EVENTS, jobId, JobFailed.class);
        assertThat(failed.phase()).isEqualTo(JobPhase.PLANNING);
        assertThat(failed.reason()).startsWith(fixture.normalize() + " is not under the local folders this service"
                + " may use (REAP_LOCAL_ROOTS: none are set");
        assertThat(recordsOf(Topics.JOBS, jobId)).isEmpty();
    }

    @Test
    void aMalformedMessageIsDeadLetteredAndTheNextRequestIsStillPlanned() throws Exception {
        String badJobId = newJobId();
        String goodJobId = newJobId();
        String malformed = "{\"type\":\"PruneRequested\",\"jobId\":\"" + badJobId + "\",\"schemaVersion\":1}";
        PruneRequest request = new PruneRequest(StoreLocation.parse(S3TestResource.FIXTURE_MODEL),
                StoreLocation.parse("s3://" + S3TestResource.BUCKET + "/out"),
                TestJobs.stripVision(List.of(), List.of(2)), Optional.empty());

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

    /** Task ids begin with their job's id. */
    private List<ConsumerRecord<String, String>> tasksOf(String jobId) {
        return kafka.readToEnd(Topics.CALIBRATION_TASKS, WAIT).stream()
                .filter(record -> record.key().startsWith(jobId + ":")).toList();
    }

    private static String newJobId() {
        return UUID.randomUUID().toString();
    }
}
