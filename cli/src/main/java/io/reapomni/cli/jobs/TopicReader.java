package io.reapomni.cli.jobs;

import io.reapomni.cli.kafka.KafkaClients;
import io.reapomni.cli.kafka.KafkaConnection;
import io.reapomni.common.events.EventCodec;
import io.reapomni.common.events.JobEvent;
import io.reapomni.common.events.MalformedEventException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the events of topics, every partition, without a consumer group. Messages that are not events are skipped:
 * the dead-letter topic is where they are looked at.
 */
public final class TopicReader implements AutoCloseable {

    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaConsumer<String, String> consumer;
    private final List<TopicPartition> partitions;

    private TopicReader(KafkaConsumer<String, String> consumer, List<TopicPartition> partitions) {
        this.consumer = consumer;
        this.partitions = partitions;
    }

    /** A reader at the current end of {@code topics}: it sees what is published from now on. */
    public static TopicReader fromNow(KafkaConnection kafka, List<String> topics) throws IOException {
        TopicReader reader = open(kafka, topics);
        reader.consumer.seekToEnd(reader.partitions);
        // seekToEnd is lazy; asking the positions fixes them now, before the caller publishes anything.
        reader.partitions.forEach(reader.consumer::position);
        return reader;
    }

    /** A reader at the beginning of {@code topics}, for everything they still hold. */
    public static TopicReader fromBeginning(KafkaConnection kafka, List<String> topics) throws IOException {
        TopicReader reader = open(kafka, topics);
        reader.consumer.seekToBeginning(reader.partitions);
        return reader;
    }

    /** The next events, waiting up to {@code timeout} for some. */
    public List<JobEvent> poll(Duration timeout) {
        List<JobEvent> events = new ArrayList<>();
        for (ConsumerRecord<String, String> record : consumer.poll(timeout)) {
            try {
                events.add(EventCodec.decode(record.value()));
            } catch (MalformedEventException e) {
                // Not an event: the services dead-letter it; a reader of job events has nothing to show for it.
            }
        }
        return events;
    }

    /** Every event up to the end that the topics had when this was called. */
    public List<JobEvent> readToEnd() {
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        List<JobEvent> events = new ArrayList<>();
        while (ends.entrySet().stream().anyMatch(end -> consumer.position(end.getKey()) < end.getValue())) {
            events.addAll(poll(Duration.ofMillis(500)));
        }
        return events;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }

    private static TopicReader open(KafkaConnection kafka, List<String> topics) throws IOException {
        KafkaConsumer<String, String> consumer = KafkaClients.reader(kafka);
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                List<PartitionInfo> infos = partitionsOf(consumer, topic, kafka);
                if (infos == null || infos.isEmpty()) {
                    throw new IOException("topic " + topic + " does not exist at " + kafka.bootstrapServers());
                }
                infos.forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
            }
            consumer.assign(partitions);
            return new TopicReader(consumer, List.copyOf(partitions));
        } catch (IOException | RuntimeException e) {
            consumer.close(Duration.ZERO);
            throw e;
        }
    }

    private static List<PartitionInfo> partitionsOf(KafkaConsumer<String, String> consumer, String topic,
                                                    KafkaConnection connection) throws IOException {
        try {
            return consumer.partitionsFor(topic, METADATA_TIMEOUT);
        } catch (AuthenticationException | AuthorizationException e) {
            throw BrokerRefusal.of(connection, e);
        } catch (TimeoutException e) {
            throw BrokerRefusal.silent(connection, METADATA_TIMEOUT, e);
        }
    }
}
