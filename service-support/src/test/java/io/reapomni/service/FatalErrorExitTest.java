package io.reapomni.service;

import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import io.reapomni.common.events.EventCodec;
import io.reapomni.common.events.JobFailed;
import io.reapomni.common.events.Topics;
import io.reapomni.common.testing.TestJobs;
import io.reapomni.service.testing.KafkaTestResource;
import io.reapomni.service.testing.TopicProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole application after an {@link OutOfMemoryError} in a handler, on a real broker: it fails the job,
 * dead-letters the message, commits past it and exits on its own with status 70, so that a supervisor restarts it
 * and the restarted service does not meet the message again.
 */
@QuarkusMainTest
class FatalErrorExitTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static final KafkaTestResource broker = new KafkaTestResource();
    private static Map<String, String> brokerConfig;
    private static TopicProbe kafka;

    /**
     * The broker is started here rather than as a test resource, which a main test does not inject: the launched
     * application, in this JVM, finds it through system properties.
     */
    @BeforeAll
    static void startBroker() {
        brokerConfig = broker.start();
        brokerConfig.forEach(System::setProperty);
        kafka = new TopicProbe(brokerConfig.get("kafka.bootstrap.servers"));
    }

    @AfterAll
    static void stopBroker() {
        brokerConfig.keySet().forEach(System::clearProperty);
        kafka.close();
        broker.stop();
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void anOutOfMemoryErrorEndsTheServiceWithStatus70AfterItReportedTheJobAndCommittedTheMessage(
            QuarkusMainLauncher launcher) throws Exception {
        kafka.send(Topics.JOBS, "oom-exit", EventCodec.encode(TestJobs.planned("oom-exit")));

        LaunchResult result = launcher.launch();

        assertThat(result.exitCode()).isEqualTo(ServiceExit.EXIT_STATUS);
        JobFailed failed = kafka.awaitEvent(Topics.JOB_EVENTS, "oom-exit", JobFailed.class, WAIT);
        assertThat(failed.reason()).contains("OutOfMemoryError", "the service restarts");
        assertThat(kafka.await(Topics.DEAD_LETTER, record -> "oom-exit".equals(record.key()), WAIT)).isPresent();
        ConsumerRecord<String, String> poison = kafka.await(Topics.JOBS, record -> "oom-exit".equals(record.key()),
                WAIT).orElseThrow();
        assertThat(kafka.committedOffset("service-support-test", Topics.JOBS, poison.partition()).orElse(-1))
                .as("committed past the message, so that the restarted service does not handle it again")
                .isGreaterThan(poison.offset());
    }
}
