package io.reapomni.embedded;

import io.reapomni.childjvm.Loopback;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The configuration of a one-node KRaft cluster on loopback: one process is both broker and controller. With a user,
 * both listeners require SASL/PLAIN as that user: loopback keeps other machines out, the password keeps out the
 * other users of this one (the controller's listener too, which would otherwise take administrative requests).
 */
final class KafkaBrokerConfig {

    static final int NODE_ID = 1;
    static final String CLIENT_LISTENER = "CLIENT";
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String MECHANISM = "PLAIN";
    private static final String PLAIN_LOGIN = "org.apache.kafka.common.security.plain.PlainLoginModule";

    private KafkaBrokerConfig() {
    }

    static Properties properties(Path dataFolder, int clientPort, int controllerPort, Optional<Credentials> user) {
        String protocol = user.isPresent() ? "SASL_PLAINTEXT" : "PLAINTEXT";
        Map<String, String> entries = new HashMap<>(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", Integer.toString(NODE_ID)),
                // A static voter list (kraft.version 0) does not record the controller's address in the log, so a
                // restart on the same folder may use other ports.
                Map.entry("controller.quorum.voters", NODE_ID + "@" + Loopback.HOST + ":" + controllerPort),
                Map.entry("controller.listener.names", CONTROLLER_LISTENER),
                Map.entry("inter.broker.listener.name", CLIENT_LISTENER),
                Map.entry("listeners", CLIENT_LISTENER + "://" + Loopback.HOST + ":" + clientPort + ","
                        + CONTROLLER_LISTENER + "://" + Loopback.HOST + ":" + controllerPort),
                Map.entry("advertised.listeners", CLIENT_LISTENER + "://" + Loopback.HOST + ":" + clientPort),
                Map.entry("listener.security.protocol.map",
                        CLIENT_LISTENER + ":" + protocol + "," + CONTROLLER_LISTENER + ":" + protocol),
                Map.entry("log.dirs", dataFolder.toString()),
                Map.entry("metadata.log.dir", dataFolder.toString()),
                // With one node, the defaults (3 replicas) leave the internal topics unavailable and consumers
                // silently receive nothing.
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                Map.entry("default.replication.factor", "1"),
                Map.entry("min.insync.replicas", "1"),
                // The first group to join creates the offsets topic; 50 partitions take seconds on a small machine.
                Map.entry("offsets.topic.num.partitions", "5"),
                Map.entry("transaction.state.log.num.partitions", "5"),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                // Topics are created on purpose, with their partition counts; a typo must not create a new topic.
                Map.entry("auto.create.topics.enable", "false"),
                // Events of local jobs: a week is enough to follow or replay them, and the disk stays bounded.
                Map.entry("log.retention.hours", "168"),
                Map.entry("log.retention.bytes", Long.toString(256L * 1024 * 1024)),
                Map.entry("log.segment.bytes", Integer.toString(16 * 1024 * 1024)),
                // The log cleaner allocates its dedupe buffer up front (128 MiB by default) on the heap; the
                // compacted internal topics of a local stack need a fraction of it.
                Map.entry("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024)),
                Map.entry("num.network.threads", "2"),
                Map.entry("num.io.threads", "4")));
        user.ifPresent(credentials -> entries.putAll(sasl(credentials)));
        Properties properties = new Properties();
        properties.putAll(entries);
        return properties;
    }

    /**
     * What a client of a broker with {@code user} sets: the same properties a service gets through its environment
     * ({@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_MECHANISM}, {@code KAFKA_SASL_JAAS_CONFIG}).
     */
    static Map<String, Object> clientProperties(Credentials user) {
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", MECHANISM,
                "sasl.jaas.config", login(user, ""));
    }

    /**
     * The broker logs in to itself (inter-broker and controller connections) as the user, and accepts the user's
     * password, on both listeners.
     */
    private static Map<String, String> sasl(Credentials user) {
        String jaas = login(user, " user_" + user.identity() + "=\"" + user.secret() + "\"");
        return Map.of(
                "sasl.enabled.mechanisms", MECHANISM,
                "sasl.mechanism.inter.broker.protocol", MECHANISM,
                "sasl.mechanism.controller.protocol", MECHANISM,
                "listener.name." + CLIENT_LISTENER.toLowerCase(Locale.ROOT) + ".plain.sasl.jaas.config", jaas,
                "listener.name." + CONTROLLER_LISTENER.toLowerCase(Locale.ROOT) + ".plain.sasl.jaas.config", jaas);
    }

    private static String login(Credentials user, String accepted) {
        return PLAIN_LOGIN + " required username=\"" + user.identity() + "\" password=\"" + user.secret() + "\""
                + accepted + ";";
    }
}
