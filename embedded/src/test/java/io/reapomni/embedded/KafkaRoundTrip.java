package io.reapomni.embedded;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/** Plain kafka-clients producing and consuming string records, as the services will. */
final class KafkaRoundTrip {

    private static final Duration CONSUME_BOUND = Duration.ofSeconds(30);

    private KafkaRoundTrip() {
    }

    /** Sends every record and waits for each acknowledgement from all in-sync replicas. */
    static void produce(String bootstrapServers, String topic, Map<String, String> valuesByKey)
            throws ExecutionException, InterruptedException {
        produce(bootstrapServers, topic, valuesByKey, Duration.ofSeconds(60));
    }

    /** As {@link #produce(String, String, Map)}, failing when the topic's metadata is missing for {@code maxBlock}. */
    static void produce(String bootstrapServers, String topic, Map<String, String> valuesByKey, Duration maxBlock)
            throws ExecutionException, InterruptedException {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) maxBlock.toMillis(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            for (Map.Entry<String, String> record : valuesByKey.entrySet()) {
                producer.send(new ProducerRecord<>(topic, record.getKey(), record.getValue())).get();
            }
        }
    }

    /**
     * Polls as a member of {@code group} from the earliest offset until {@code expected} records have arrived or
     * 30 s have passed, commits, and returns value by key in arrival order.
     */
    static Map<String, String> consume(String bootstrapServers, String group, String topic, int expected) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        Map<String, String> received = new LinkedHashMap<>();
        long deadline = System.nanoTime() + CONSUME_BOUND.toNanos();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(topic));
            while (received.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    received.put(record.key(), record.value());
                }
            }
            consumer.commitSync();
        }
        return received;
    }
}
