package io.reapomni.cli.jobs;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.Map;

/** The CLI's Kafka clients: JSON events as strings, keyed by job id, connected as {@link KafkaConnection} says. */
final class KafkaClients {

    private KafkaClients() {
    }

    /** A producer that waits for the broker to have the record, so that "submitted" means it. */
    static KafkaProducer<String, String> producer(KafkaConnection connection) {
        Map<String, Object> properties = connection.clientProperties();
        properties.putAll(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000));
        return new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
    }

    /**
     * A consumer without a group: the CLI only reads, assigns itself partitions and keeps no offsets, so following
     * a job never takes records away from a service.
     */
    static KafkaConsumer<String, String> reader(KafkaConnection connection) {
        Map<String, Object> properties = connection.clientProperties();
        properties.putAll(Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
        return new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer());
    }
}
