package io.reapomni.cli.stack;

import io.reapomni.common.events.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Creates the topics of reap-omni on the stack's broker, which creates none by itself. */
public final class StackTopics {

    /**
     * Calibration tasks spread over the calibration workers, so they get the most partitions; every other topic is
     * keyed by job id, and a few partitions let a few jobs progress side by side.
     */
    public static final Map<String, Integer> PARTITIONS = Map.of(
            Topics.REQUESTS, 3,
            Topics.JOBS, 3,
            Topics.CALIBRATION_TASKS, 6,
            Topics.CALIBRATION_STATS, 3,
            Topics.PLANS, 3,
            Topics.JOB_EVENTS, 3,
            Topics.DEAD_LETTER, 1);

    private static final long TIMEOUT_SECONDS = 30;

    private StackTopics() {
    }

    /** Creates the missing topics; existing ones (a stack restarted on its folder) are kept. */
    static void create(String bootstrapServers) throws StackStartException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            List<NewTopic> topics = PARTITIONS.entrySet().stream()
                    .map(topic -> new NewTopic(topic.getKey(), topic.getValue(), (short) 1)).toList();
            for (var creation : admin.createTopics(topics).values().entrySet()) {
                try {
                    creation.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new StackStartException("cannot create topic " + creation.getKey() + ": "
                                + e.getCause().getMessage(), e.getCause());
                    }
                } catch (TimeoutException e) {
                    throw new StackStartException("the broker did not create topic " + creation.getKey()
                            + " within " + TIMEOUT_SECONDS + " s", e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StackStartException("interrupted while creating topics", e);
                }
            }
        }
    }
}
