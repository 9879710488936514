package io.reapomni.service.testing;

import io.reapomni.common.events.EventCodec;
import io.reapomni.common.events.JobEvent;
import io.reapomni.common.events.MalformedEventException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * What a test does on the broker from outside the service: publish raw records, and read topics from their start,
 * waiting for a record with a deadline rather than sleeping. {@link KafkaTestResource} injects one into each field
 * of this type of the test instance.
 */
public final class TopicProbe implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(200);

    private final String bootstrapServers;
    private final KafkaProducer<String, String> producer;

    public TopicProbe(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
    }

    /** Publishes one record and waits until the broker has it. */
    public void send(String topic, String key, String value) throws ExecutionException, InterruptedException,
            TimeoutException {
        producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
    }

    /** The first record of {@code topic} that matches, waiting for it until {@code timeout}; empty if none came. */
    public Optional<ConsumerRecord<String, String>> await(String topic, Predicate<ConsumerRecord<String, String>> match,
                                                          Duration timeout) {
        return await(topic, match, 1, timeout).stream().findFirst();
    }

    /**
     * The first {@code count} records of {@code topic} that match, waiting for them until {@code timeout}; fewer if
     * fewer came.
     */
    public List<ConsumerRecord<String, String>> await(String topic, Predicate<ConsumerRecord<String, String>> match,
                                                      int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ConsumerRecord<String, String>> matching = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumerAtStart(topic)) {
            while (matching.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
                    if (match.test(record) && matching.size() < count) {
                        matching.add(record);
                    }
                }
            }
        }
        return matching;
    }

    /**
     * The first event of type {@code type} that job {@code jobId} has on {@code topic}, waiting for it until
     * {@code timeout}; an {@link AssertionError} when none came or it is not readable.
     */
    public <T extends JobEvent> T awaitEvent(String topic, String jobId, Class<T> type, Duration timeout) {
        String typeField = "\"type\":\"" + type.getSimpleName() + "\"";
        ConsumerRecord<String, String> record = await(topic,
                candidate -> jobId.equals(candidate.key()) && candidate.value().contains(typeField), timeout)
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " of job " + jobId + " on "
                        + topic + " within " + timeout));
        try {
            return EventCodec.decode(record.value(), type);
        } catch (MalformedEventException e) {
            throw new AssertionError("unreadable " + type.getSimpleName() + " on " + topic + ": " + record.value(), e);
        }
    }

    /** Every record of {@code topic} up to its end as it is now. */
    public List<ConsumerRecord<String, String>> readToEnd(String topic, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumerAtStart(topic)) {
            Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
            while (ends.entrySet().stream().anyMatch(end -> consumer.position(end.getKey()) < end.getValue())) {
                if (System.nanoTime() >= deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within " + timeout);
                }
                consumer.poll(POLL).forEach(records::add);
            }
        }
        return records;
    }

    /** The offset that consumer group {@code group} has committed on a partition of {@code topic}, if any. */
    public OptionalLong committedOffset(String group, String topic, int partition)
            throws ExecutionException, InterruptedException, TimeoutException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS).get(new TopicPartition(topic, partition));
            return committed == null ? OptionalLong.empty() : OptionalLong.of(committed.offset());
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }

    private KafkaConsumer<String, String> consumerAtStart(String topic) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"));
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(partition -> new TopicPartition(topic, partition.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }
}
