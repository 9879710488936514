package io.reapomni.cli.kafka;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaConnectionTest {

    private static final KafkaConnection STACK = KafkaConnection.saslPlain("127.0.0.1:9092", "reap-user", "s3cr3t");

    @Test
    void aServiceGetsTheSameSettingsAsKafkaVariablesOfItsEnvironment() {
        assertThat(STACK.asServiceEnvironment())
                .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
                .containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
                .containsEntry("KAFKA_SASL_MECHANISM", "PLAIN")
                .containsEntry("KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.plain.PlainLoginModule"
                        + " required username=\"reap-user\" password=\"s3cr3t\";")
                .hasSize(4);
        assertThat(KafkaConnection.plaintext("broker:9092").asServiceEnvironment())
                .containsOnlyKeys("KAFKA_BOOTSTRAP_SERVERS");
    }

    @Test
    void printingAConnectionNamesItsServersAndProtocolButNotThePassword() {
        assertThat(STACK.toString()).isEqualTo("127.0.0.1:9092 (SASL_PLAINTEXT)");
        assertThat(KafkaConnection.plaintext("broker:9092").toString()).isEqualTo("broker:9092 (PLAINTEXT)");
    }

    @Test
    void aPasswordThatWouldBreakOutOfItsQuotesIsRefused() {
        assertThatThrownBy(() -> KafkaConnection.saslPlain("127.0.0.1:9092", "reap", "x\" user_admin=\"y"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
