package io.reapomni.embedded;

import io.reapomni.childjvm.Loopback;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real single-node Kafka cluster (KRaft, broker and controller in one server) in this JVM, on 127.0.0.1; with a
 * user, only that user may connect (SASL/PLAIN).
 * {@link #start} returns once the broker answers clients; {@link #close} shuts it down and keeps its data folder,
 * so that a later start on the same folder finds every committed record.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaRaftServer server;
    private final Admin admin;
    private final String bootstrapServers;
    private final Duration startTime;

    private EmbeddedKafka(KafkaRaftServer server, Admin admin, String bootstrapServers, Duration startTime) {
        this.server = server;
        this.admin = admin;
        this.bootstrapServers = bootstrapServers;
        this.startTime = startTime;
    }

    /** Formats the data folder on first use, starts the server, and waits until it serves clients. */
    public static EmbeddedKafka start(KafkaBrokerSettings settings) throws IOException {
        long started = System.nanoTime();
        Files.createDirectories(settings.dataFolder());
        int clientPort = Loopback.portOrFree(settings.port());
        KafkaConfig config = new KafkaConfig(
                KafkaBrokerConfig.properties(settings.dataFolder(), clientPort, Loopback.freePort(), settings.user()),
                false);
        KraftStorage.formatUnlessFormatted(settings.dataFolder());
        String bootstrapServers = Loopback.HOST + ":" + clientPort;
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        Admin admin = null;
        try {
            server.startup();
            Map<String, Object> adminProperties = new HashMap<>(
                    Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
            settings.user().ifPresent(user -> adminProperties.putAll(KafkaBrokerConfig.clientProperties(user)));
            admin = Admin.create(adminProperties);
            awaitBroker(admin);
        } catch (RuntimeException e) {
            if (admin != null) {
                admin.close(Duration.ZERO);
            }
            server.shutdown();
            server.awaitShutdown();
            throw e;
        }
        Duration startTime = Duration.ofNanos(System.nanoTime() - started);
        LOG.info("Kafka broker serving {} (data {}) after {} ms", bootstrapServers, settings.dataFolder(),
                startTime.toMillis());
        return new EmbeddedKafka(server, admin, bootstrapServers, startTime);
    }

    /** {@code 127.0.0.1:port}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** From the call to {@link #start} until the broker answered a client. */
    public Duration startTime() {
        return startTime;
    }

    /**
     * Creates each topic with its number of partitions (one replica). A topic that exists with the same number of
     * partitions is left as it is, so that a stack restarted on its folder can ask again.
     *
     * @throws EmbeddedKafkaException when a topic cannot be created or exists with another partition count
     */
    public void createTopics(Map<String, Integer> partitionsByTopic) {
        List<NewTopic> topics = partitionsByTopic.entrySet().stream()
                .map(topic -> new NewTopic(topic.getKey(), topic.getValue(), (short) 1))
                .toList();
        admin.createTopics(topics).values().forEach((name, creation) -> {
            try {
                await(creation);
            } catch (EmbeddedKafkaException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
                requirePartitions(name, partitionsByTopic.get(name));
            }
        });
    }

    /** Shuts the server down (controlled, so the next start finds a clean log) and waits until it has stopped. */
    @Override
    public void close() {
        long stopping = System.nanoTime();
        admin.close(Duration.ZERO);
        server.shutdown();
        server.awaitShutdown();
        LOG.info("Kafka broker {} stopped after {} ms", bootstrapServers,
                Duration.ofNanos(System.nanoTime() - stopping).toMillis());
    }

    private void requirePartitions(String topic, int expected) {
        TopicDescription description = await(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic);
        int actual = description.partitions().size();
        if (actual != expected) {
            throw new EmbeddedKafkaException(
                    "topic " + topic + " exists with " + actual + " partitions, not the " + expected + " requested");
        }
    }

    /** The admin client retries until the broker accepts requests, within the bounded wait of {@link #await}. */
    private static void awaitBroker(Admin admin) {
        await(admin.describeCluster().nodes());
    }

    private static <T> T await(KafkaFuture<T> future) {
        try {
            return future.get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new EmbeddedKafkaException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new EmbeddedKafkaException("no answer from the broker within " + ADMIN_TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedKafkaException("interrupted while waiting for the broker", e);
        }
    }
}
