package io.reapomni.cli.jobs;

import java.util.Map;
import java.util.TreeMap;

/**
 * Where the CLI's Kafka clients connect, and the client properties of that cluster's security (SASL, TLS). The
 * properties hold secrets (a JAAS configuration, keystore passwords): they go to the Kafka clients, which never log
 * them, and nowhere else; {@link #toString()} names the servers and the protocol only.
 */
public record KafkaConnection(String bootstrapServers, Map<String, String> security) {

    public KafkaConnection {
        security = Map.copyOf(security);
    }

    /** A broker on loopback without security: the embedded stack's. */
    public static KafkaConnection plaintext(String bootstrapServers) {
        return new KafkaConnection(bootstrapServers, Map.of());
    }

    /** The client properties to connect with: the bootstrap servers and the security settings. */
    Map<String, Object> clientProperties() {
        Map<String, Object> properties = new TreeMap<>(security);
        properties.put("bootstrap.servers", bootstrapServers);
        return properties;
    }

    @Override
    public String toString() {
        return bootstrapServers + " (" + security.getOrDefault("security.protocol", "PLAINTEXT") + ")";
    }
}
