package io.reapomni.cli.jobs;

import io.reapomni.cli.kafka.KafkaConnection;
import io.reapomni.common.events.JobCompleted;
import io.reapomni.common.events.JobEvent;
import io.reapomni.common.events.JobPhase;
import io.reapomni.common.events.JobProgress;
import io.reapomni.common.events.Topics;
import io.reapomni.common.storage.StoreLocation;
import io.reapomni.embedded.EmbeddedKafka;
import io.reapomni.embedded.KafkaBrokerSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Following a job on a real broker when its services fall silent. */
class JobWatchTest {

    private static final Patience SILENCE_OF_TWO_SECONDS = Patience.whileAnswering(Optional.of(Duration.ofSeconds(2)));

    @TempDir
    static Path data;

    private static EmbeddedKafka kafka;
    private static KafkaConnection broker;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = EmbeddedKafka.start(KafkaBrokerSettings.anyPort(data));
        kafka.createTopics(Map.of(Topics.JOB_EVENTS, 1));
        broker = KafkaConnection.plaintext(kafka.bootstrapServers());
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void aJobThatNobodyAnswersEndsNamingTheStripService() throws Exception {
        try (TopicReader events = TopicReader.fromNow(broker, List.of(Topics.JOB_EVENTS))) {
            assertThatThrownBy(() -> follow(events, "unanswered", SILENCE_OF_TWO_SECONDS))
                    .hasMessage("no event of job unanswered for 2 s: the strip service (strip-service) did not answer"
                            + " the request. It may still be running: reap-omni follow unanswered (--idle-timeout"
                            + " waits longer)");
        }
    }

    @Test
    void aJobWhoseWriterFallsSilentEndsNamingTheShardWriterAndItsLastEvent() throws Exception {
        try (TopicReader events = TopicReader.fromNow(broker, List.of(Topics.JOB_EVENTS))) {
            publish(JobProgress.of("writing", JobPhase.WRITING, 10, 30, "bytes", "1 of 3 files"));

            assertThatThrownBy(() -> follow(events, "writing", SILENCE_OF_TWO_SECONDS))
                    .hasMessageStartingWith("no event of job writing for 2 s: the shard writer (shard-writer-service)"
                            + " did not answer; the last event, at ")
                    .hasMessageContaining("was writing 10 of 30 bytes (1 of 3 files)");
        }
    }

    @Test
    void eventsKeepTheWatchGoingAsLongAsTheyComeWithinTheSilence() throws Exception {
        try (TopicReader events = TopicReader.fromNow(broker, List.of(Topics.JOB_EVENTS))) {
            Thread publisher = new Thread(() -> {
                try {
                    for (int step = 1; step <= 6; step++) {
                        Thread.sleep(1000);
                        publish(JobProgress.of("steady", JobPhase.WRITING, step, 6, "bytes", ""));
                    }
                    publish(JobCompleted.of("steady", StoreLocation.parse("/out"), 3, 30, 100, 50, 4.0));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            publisher.start();

            // Six seconds in all, an event every second: never four without one.
            assertThat(follow(events, "steady", Patience.whileAnswering(Optional.of(Duration.ofSeconds(4)))))
                    .isInstanceOf(JobOutcome.Completed.class);
            publisher.join();
        }
    }

    @Test
    void theServiceWhoseTurnItIsFollowsTheChoreography() {
        assertThat(SilentService.after(Optional.of(JobProgress.of("j", JobPhase.PLANNING, 1, 1, "steps", ""))))
                .startsWith("after planning, neither the calibration workers (calibration-service) nor the scoring"
                        + " service (scoring-service) answered");
        assertThat(SilentService.after(Optional.of(JobProgress.of("j", JobPhase.CALIBRATION, 2, 4, "tasks", ""))))
                .startsWith("the calibration workers (calibration-service) did not answer");
        assertThat(SilentService.after(Optional.of(JobProgress.of("j", JobPhase.CALIBRATION, 12, 48, "layers",
                "")))).startsWith("the calibration workers (calibration-service) did not answer");
        assertThat(SilentService.after(Optional.of(JobProgress.of("j", JobPhase.CALIBRATION, 4, 4, "tasks", ""))))
                .startsWith("the scoring service (scoring-service) did not answer once the statistics were in");
        assertThat(SilentService.after(Optional.of(JobProgress.of("j", JobPhase.SCORING, 1, 1, "steps",
                "the plan is made and goes to the shard writer"))))
                .startsWith("the shard writer (shard-writer-service) did not answer");
    }

    private static JobOutcome follow(TopicReader events, String jobId, Patience patience) throws Exception {
        return JobWatch.follow(events, jobId, new PrintWriter(new StringWriter()), JobWatch.Health.ASSUMED, patience);
    }

    private static void publish(JobEvent event) throws Exception {
        RequestPublisher.publish(broker, Topics.JOB_EVENTS, event);
    }
}
