package io.reapomni.cli.jobs;

import io.reapomni.cli.kafka.KafkaConnection;
import io.reapomni.cli.kafka.KafkaSecurity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaSecurityTest {

    @TempDir
    Path dir;

    @Test
    void securitySettingsComeFromTheEnvironmentAsTheServicesReadThem() throws Exception {
        Map<String, String> environment = Map.of(
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/kafka/ca.p12",
                // Not security settings: the CLI's own, or no client property at all.
                "KAFKA_BOOTSTRAP_SERVERS", "elsewhere:9092",
                "KAFKA_GROUP_ID", "someone",
                "KAFKA_HEAP_OPTS", "-Xmx1g",
                "PATH", "/usr/bin");

        assertThat(KafkaSecurity.from(Optional.empty(), environment)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "ssl.truststore.location", "/etc/kafka/ca.p12"));
    }

    @Test
    void aClientPropertiesFileGivesThemTooAndTheEnvironmentWins() throws Exception {
        Path file = Files.write(dir.resolve("client.properties"), List.of(
                "security.protocol=SSL",
                "ssl.truststore.location=/etc/kafka/ca.p12",
                "ssl.truststore.type=PKCS12"));

        assertThat(KafkaSecurity.from(Optional.of(file), Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")))
                .containsExactlyInAnyOrderEntriesOf(Map.of("security.protocol", "SASL_SSL",
                        "ssl.truststore.location", "/etc/kafka/ca.p12", "ssl.truststore.type", "PKCS12"));
    }

    @Test
    void aFileThatSetsWhatTheCliDecidesItselfIsRefusedNamingTheProperty() throws Exception {
        Path file = Files.write(dir.resolve("client.properties"), List.of("security.protocol=SSL",
                "enable.auto.commit=true"));

        assertThatThrownBy(() -> KafkaSecurity.from(Optional.of(file), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("enable.auto.commit is not a security setting the CLI takes");
    }

    @Test
    void theConnectionNamesItsServersAndProtocolButNoSecret() {
        KafkaConnection connection = new KafkaConnection("kafka:9093", Map.of("security.protocol", "SASL_SSL",
                "sasl.jaas.config", "ScramLoginModule required username=\"u\" password=\"hunter2\";"));

        assertThat(connection.toString()).isEqualTo("kafka:9093 (SASL_SSL)");
    }
}
