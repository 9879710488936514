package io.reapomni.cli.jobs;

import io.reapomni.cli.kafka.KafkaConnection;
import io.reapomni.cli.kafka.KafkaSecurity;
import io.reapomni.cli.stack.RunFolderOption;
import io.reapomni.cli.stack.StackState;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which Kafka cluster a command talks to, and how: the one named, with its security settings ({@link KafkaSecurity}),
 * else the running embedded stack's broker (loopback, no security).
 */
public final class BootstrapOption {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (default: the broker of the running embedded stack).")
    String bootstrapServers;

    @Option(names = "--kafka-config", paramLabel = "FILE",
            description = "Kafka client properties for the cluster of --bootstrap-servers: security.protocol,"
                    + " sasl.* and ssl.* (SASL, TLS). KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_JAAS_CONFIG, ... in the"
                    + " environment win over the file.")
    Path kafkaConfig;

    @Mixin
    RunFolderOption runFolder;

    /**
     * @throws IllegalArgumentException when none was named and no embedded stack is recorded, or security settings
     *                                  were given for the embedded stack (its own credentials are in its state)
     */
    public KafkaConnection resolve() throws IOException {
        if (bootstrapServers != null) {
            return new KafkaConnection(bootstrapServers,
                    KafkaSecurity.from(Optional.ofNullable(kafkaConfig), System.getenv()));
        }
        if (kafkaConfig != null) {
            throw new IllegalArgumentException("--kafka-config is for a cluster named with --bootstrap-servers; the"
                    + " embedded stack's broker takes its own credentials from its state");
        }
        return runFolder.folder().recordedState().map(StackState::kafka)
                .orElseThrow(() -> new IllegalArgumentException("give --bootstrap-servers HOST:PORT, or start the"
                        + " embedded stack (reap-omni stack up)"));
    }
}
