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
 * application's {@code kafka.bootstrap.servers} pointed at it. A {@link TopicProbe} field of the test is given a probe
 * on that broker.
 *
 * <pre>{@code @WithTestResource(KafkaTestResource.class)}</pre>
 */
public final class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    /** The default names of all topics, as the services' default configuration uses them. */
    public static final List<String> TOPICS = List.of(Topics.REQUESTS, Topics.JOBS, Topics.CALIBRATION_TASKS,
            Topics.CALIBRATION_STATS, Topics.PLANS, Topics.EVALUATION_TASKS, Topics.EVALUATIONS, Topics.JOB_EVENTS,
            Topics.DEAD_LETTER);

    private Path folder;
    private EmbeddedKafka kafka;
    private TopicProbe probe;

    @Override
    public Map<String, String> start() {
        try {
            folder = Files.createTempDirectory("kafka-");
            kafka = EmbeddedKafka.start(KafkaBrokerSettings.anyPort(folder));
        } catch (IOException e) {
            throw new UncheckedIOException("the test Kafka broker did not start", e);
        }
        kafka.createTopics(TOPICS.stream().collect(Collectors.toMap(Function.identity(), topic -> 1)));
        probe = new TopicProbe(kafka.bootstrapServers());
        return Map.of("kafka.bootstrap.servers", kafka.bootstrapServers());
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(probe, new TestInjector.MatchesType(TopicProbe.class));
    }

    @Override
    public void stop() {
        try {
            probe.close();
            kafka.close();
        } finally {
            TemporaryFolders.delete(folder);
        }
    }
}
