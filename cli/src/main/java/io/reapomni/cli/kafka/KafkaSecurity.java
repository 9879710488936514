package io.reapomni.cli.kafka;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The security settings of a Kafka cluster, as the usual Kafka client properties: {@code security.protocol} and the
 * {@code sasl.*} and {@code ssl.*} properties that Kafka's clients know. They come from a client properties file
 * ({@code --kafka-config}, as Kafka's own tools take one) and from the environment, where each is upper-cased with
 * dots as underscores, as the services read them ({@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_JAAS_CONFIG},
 * {@code KAFKA_SSL_TRUSTSTORE_LOCATION}, ...); the environment wins. Other client properties are the CLI's own
 * (what it reads, how it acknowledges) and are refused.
 */
public final class KafkaSecurity {

    private static final String PREFIX = "KAFKA_";
    private static final Set<String> CLIENT_PROPERTIES = clientProperties();

    private KafkaSecurity() {
    }

    /**
     * @param file        a client properties file, if one was given
     * @param environment the process environment
     * @throws IllegalArgumentException naming a property of the file that is not a security setting
     */
    public static Map<String, String> from(Optional<Path> file, Map<String, String> environment) throws IOException {
        Map<String, String> settings = new TreeMap<>();
        if (file.isPresent()) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file.get(), StandardCharsets.UTF_8)) {
                properties.load(reader);
            }
            for (String name : properties.stringPropertyNames()) {
                if (!isSecuritySetting(name)) {
                    throw new IllegalArgumentException("--kafka-config " + file.get() + ": " + name + " is not a"
                            + " security setting the CLI takes (security.protocol, or a sasl.* or ssl.* property of"
                            + " Kafka's clients)");
                }
                settings.put(name, properties.getProperty(name));
            }
        }
        environment.forEach((variable, value) -> {
            if (variable.startsWith(PREFIX)) {
                String name = variable.substring(PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
                if (isSecuritySetting(name) && !value.isEmpty()) {
                    settings.put(name, value);
                }
            }
        });
        return settings;
    }

    private static boolean isSecuritySetting(String name) {
        return CLIENT_PROPERTIES.contains(name)
                && (name.equals("security.protocol") || name.startsWith("sasl.") || name.startsWith("ssl."));
    }

    private static Set<String> clientProperties() {
        Set<String> names = new HashSet<>(ConsumerConfig.configNames());
        names.addAll(ProducerConfig.configNames());
        names.addAll(AdminClientConfig.configNames());
        return Set.copyOf(names);
    }
}
