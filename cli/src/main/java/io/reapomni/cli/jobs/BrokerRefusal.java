package io.reapomni.cli.jobs;

import io.reapomni.cli.kafka.KafkaConnection;
import org.apache.kafka.common.KafkaException;

import java.io.IOException;
import java.time.Duration;

/** Why the CLI could not talk to a broker, with the settings a person checks. */
final class BrokerRefusal {

    private static final String SETTINGS = "check the cluster's security settings (--kafka-config, or"
            + " KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_MECHANISM, KAFKA_SASL_JAAS_CONFIG, KAFKA_SSL_TRUSTSTORE_*)";

    private BrokerRefusal() {
    }

    /** The broker refused who the CLI is or what it asked for. */
    static IOException of(KafkaConnection connection, KafkaException refusal) {
        return new IOException("the broker at " + connection + " refused the CLI: " + refusal.getMessage() + "; "
                + SETTINGS, refusal);
    }

    /** Nothing usable came back: no broker there, or one that speaks another protocol. */
    static IOException silent(KafkaConnection connection, Duration waited, KafkaException timeout) {
        return new IOException("no answer from a broker at " + connection + " within " + waited.toSeconds()
                + " s: is it running, and does it take this protocol? " + SETTINGS, timeout);
    }
}
