package io.reapomni.cli.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.Map;

/** The CLI's Kafka clients: JSON events as strings, keyed by job id. */
public final class KafkaClients {

    private KafkaClients() {
    }

    /** A producer that waits for the broker to have the record, so that "submitted" means it. */
    public static KafkaProducer<String, String> producer(KafkaConnection kafka) {
        return new KafkaProducer<>(with(kafka, Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000)),
                new StringSerializer(), new StringSerializer());
    }

    /**
     * A consumer without a group: the CLI only reads, assigns itself partitions and keeps no offsets, so following
     * a job never takes records away from a service.
     */
    public static KafkaConsumer<String, String> reader(KafkaConnection kafka) {
        return new KafkaConsumer<>(with(kafka, Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")),
                new StringDeserializer(), new StringDeserializer());
    }

    /** An administrative client: topics and consumer groups. */
    public static Admin admin(KafkaConnection kafka) {
        return Admin.create(kafka.clientProperties());
    }

    private static Map<String, Object> with(KafkaConnection kafka, Map<String, Object> properties) {
        Map<String, Object> all = kafka.clientProperties();
        all.putAll(properties);
        return all;
    }
}
