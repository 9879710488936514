package io.reapomni.cli.kafka;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the CLI reaches a Kafka cluster: its bootstrap servers, and the client properties that secure the connection
 * ({@code security.protocol}, {@code sasl.*}, ...), none for a plain-text cluster. {@link #toString()} names the
 * servers and the protocol, never the SASL settings, which hold passwords.
 */
public record KafkaConnection(String bootstrapServers, Map<String, String> security) {

    /** Names and passwords the CLI makes up: they go into a JAAS option without quoting trouble. */
    private static final Pattern PLAIN_TOKEN = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern PLAIN_JAAS = Pattern.compile(
            "org\\.apache\\.kafka\\.common\\.security\\.plain\\.PlainLoginModule required username=\"([A-Za-z0-9._-]+)\""
                    + " password=\"([A-Za-z0-9._-]+)\";");

    public KafkaConnection {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        security = Map.copyOf(security);
    }

    public static KafkaConnection plaintext(String bootstrapServers) {
        return new KafkaConnection(bootstrapServers, Map.of());
    }

    /** A cluster that accepts {@code username} with {@code password} over SASL/PLAIN, without TLS (loopback). */
    public static KafkaConnection saslPlain(String bootstrapServers, String username, String password) {
        if (!PLAIN_TOKEN.matcher(username).matches() || !PLAIN_TOKEN.matcher(password).matches()) {
            throw new IllegalArgumentException("a SASL/PLAIN user name and password are letters, digits, '.', '_'"
                    + " and '-'");
        }
        return new KafkaConnection(bootstrapServers, Map.of(
                "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                        + username + "\" password=\"" + password + "\";"));
    }

    /** The user name and password of a connection made by {@link #saslPlain}, to start its broker again. */
    public Optional<PlainCredentials> plainCredentials() {
        Matcher jaas = PLAIN_JAAS.matcher(security.getOrDefault("sasl.jaas.config", ""));
        return "PLAIN".equals(security.get("sasl.mechanism")) && jaas.matches()
                ? Optional.of(new PlainCredentials(jaas.group(1), jaas.group(2))) : Optional.empty();
    }

    /** A SASL/PLAIN user; {@link #toString()} leaves the password out. */
    public record PlainCredentials(String username, String password) {
        @Override
        public String toString() {
            return "PlainCredentials[username=" + username + "]";
        }
    }

    /** The properties of a Kafka client of this cluster, besides what the client itself needs. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> properties = new HashMap<>(security);
        properties.put("bootstrap.servers", bootstrapServers);
        return properties;
    }

    /**
     * The same settings as a service's environment: Quarkus gives every {@code KAFKA_*} variable to its Kafka
     * clients as the property it names ({@code KAFKA_SASL_JAAS_CONFIG} is {@code sasl.jaas.config}).
     */
    public Map<String, String> asServiceEnvironment() {
        Map<String, String> environment = new HashMap<>();
        clientProperties().forEach((property, value) -> environment.put(
                "KAFKA_" + property.replace('.', '_').toUpperCase(Locale.ROOT), value.toString()));
        return environment;
    }

    @Override
    public String toString() {
        return bootstrapServers + " (" + security.getOrDefault("security.protocol", "PLAINTEXT") + ")";
    }
}
