package io.reapomni.cli.jobs;

import io.reapomni.cli.kafka.KafkaClients;
import io.reapomni.cli.kafka.KafkaConnection;
import io.reapomni.common.events.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.fail;

/**
 * Whether the services have handled everything published so far: every consumer group has committed the end offset
 * of every partition it consumes. That is how a test knows that a redelivered message was processed, also when
 * handling it rightly publishes nothing.
 */
final class ConsumerGroups {

    private static final Duration POLL = Duration.ofMillis(200);
    private static final List<String> FLOW = List.of(Topics.REQUESTS, Topics.JOBS, Topics.CALIBRATION_TASKS,
            Topics.CALIBRATION_STATS, Topics.PLANS, Topics.EVALUATION_TASKS, Topics.EVALUATIONS);

    private ConsumerGroups() {
    }

    static void awaitCaughtUp(KafkaConnection kafka, Duration bound) throws Exception {
        long deadline = System.nanoTime() + bound.toNanos();
        try (Admin admin = KafkaClients.admin(kafka)) {
            while (!caughtUp(admin)) {
                if (System.nanoTime() > deadline) {
                    fail("the services' consumer groups did not commit the end of their topics within " + bound);
                }
                // Bounded polling of the broker's state: the pause only spaces the questions out.
                Thread.sleep(POLL.toMillis());
            }
        }
    }

    /**
     * Groups are asked in the order the events flow (the requests' consumer first): a group that has handled
     * everything has published what follows from it before it committed, so the next group, asked later, cannot
     * look done while it still has that to handle.
     */
    private static boolean caughtUp(Admin admin) throws Exception {
        List<String> groups = admin.listConsumerGroups().all().get().stream().map(ConsumerGroupListing::groupId)
                .sorted(Comparator.comparingInt(group -> flowRank(admin, group))).toList();
        for (String group : groups) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, Long> ends = admin.listOffsets(committed.keySet().stream()
                            .collect(Collectors.toMap(Function.identity(), partition -> OffsetSpec.latest())))
                    .all().get().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().offset()));
            for (var entry : committed.entrySet()) {
                if (entry.getValue() != null && entry.getValue().offset() < ends.get(entry.getKey())) {
                    return false;
                }
            }
        }
        return true;
    }

    private static int flowRank(Admin admin, String group) {
        try {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().keySet().stream()
                    .mapToInt(partition -> FLOW.indexOf(partition.topic())).filter(rank -> rank >= 0)
                    .min().orElse(FLOW.size());
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the offsets of group " + group, e);
        }
    }
}
