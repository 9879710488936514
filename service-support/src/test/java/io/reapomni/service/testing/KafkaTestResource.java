package io.reapomni.service.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.reapomni.common.events.Topics;
import io.reapomni.embedded.EmbeddedKafka;
import io.reapomni.embedded.KafkaBrokerSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A real Kafka broker (KRaft 4.1.2, in this JVM, on loopback) for a {@code @QuarkusTest}, with every reap-omni topic
 * created (one partition each, so that a test sees whether a bad message blocks the ones behind it), and the
 * application's {@code kafka.bootstrap.servers} pointed at it.
 *
 * <pre>{@code @WithTestResource(KafkaTestResource.class)}</pre>
 */
public final class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    /** The default names of all topics, as the services' default configuration uses them. */
    public static final List<String> TOPICS = List.of(Topics.REQUESTS, Topics.JOBS, Topics.CALIBRATION_TASKS,
            Topics.CALIBRATION_STATS, Topics.PLANS, Topics.JOB_EVENTS, Topics.DEAD_LETTER);

    private Path folder;
    private EmbeddedKafka kafka;

    @Override
    public Map<String, String> start() {
        try {
            folder = Files.createTempDirectory("kafka-");
            kafka = EmbeddedKafka.start(KafkaBrokerSettings.anyPort(folder));
        } catch (IOException e) {
            throw new UncheckedIOException("the test Kafka broker did not start", e);
        }
        kafka.createTopics(TOPICS.stream().collect(Collectors.toMap(Function.identity(), topic -> 1)));
        return Map.of("kafka.bootstrap.servers", kafka.bootstrapServers());
    }

    @Override
    public void stop() {
        try {
            kafka.close();
        } finally {
            TemporaryFolders.delete(folder);
        }
    }
}
