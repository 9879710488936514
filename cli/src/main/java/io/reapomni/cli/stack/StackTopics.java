package io.reapomni.cli.stack;

import io.reapomni.cli.kafka.KafkaClients;
import io.reapomni.cli.kafka.KafkaConnection;
import io.reapomni.common.events.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Creates the topics of reap-omni on the stack's broker, which creates none by itself. */
public final class StackTopics {

    /**
     * Every topic but the calibration tasks is keyed by job id, and a few partitions let a few jobs progress side by
     * side. The calibration tasks get one partition per worker ({@link #create}): the strip service publishes a job's
     * tasks round-robin over the partitions, one task per worker, so that each worker reads the model once per job.
     */
    public static final Map<String, Integer> PARTITIONS = Map.of(
            Topics.REQUESTS, 3,
            Topics.JOBS, 3,
            Topics.CALIBRATION_STATS, 3,
            Topics.PLANS, 3,
            Topics.EVALUATION_TASKS, 3,
            Topics.EVALUATIONS, 3,
            Topics.JOB_EVENTS, 3,
            Topics.DEAD_LETTER, 1);

    /** The topics that a job without calibration flows through: until each has its consumer, no job moves. */
    static final List<String> JOB_PATH = List.of(Topics.REQUESTS, Topics.JOBS, Topics.PLANS);

    private static final long TIMEOUT_SECONDS = 30;
    private static final Duration POLL = Duration.ofMillis(100);

    private StackTopics() {
    }

    /**
     * Creates the missing topics, the calibration tasks with one partition per worker; existing ones (a stack
     * restarted on its folder) are kept, and the calibration tasks get more partitions if there are more workers now.
     */
    static void create(KafkaConnection kafka, int workers) throws StackStartException {
        try (Admin admin = KafkaClients.admin(kafka)) {
            List<NewTopic> topics = new ArrayList<>(PARTITIONS.entrySet().stream()
                    .map(topic -> new NewTopic(topic.getKey(), topic.getValue(), (short) 1)).toList());
            topics.add(new NewTopic(Topics.CALIBRATION_TASKS, workers, (short) 1));
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
            growCalibrationTasks(admin, workers);
        }
    }

    /** A stack restarted with more workers than its folder's topic has partitions: one partition per worker. */
    private static void growCalibrationTasks(Admin admin, int workers) throws StackStartException {
        try {
            int partitions = admin.describeTopics(List.of(Topics.CALIBRATION_TASKS)).allTopicNames()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(Topics.CALIBRATION_TASKS).partitions().size();
            if (partitions < workers) {
                admin.createPartitions(Map.of(Topics.CALIBRATION_TASKS, NewPartitions.increaseTo(workers)))
                        .all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new StackStartException("cannot give " + Topics.CALIBRATION_TASKS + " a partition for each of "
                    + workers + " workers: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackStartException("interrupted while creating topics", e);
        }
    }

    /**
     * Waits until a consumer has partitions of every topic of {@link #JOB_PATH} and each of the {@code workers}
     * calibration workers holds a partition of the calibration tasks. A service answers ready once it is connected, a
     * little before its consumer group has handed it partitions: a job published in between waits, and a calibration
     * task taken by a worker before the other joined is taken from it by the rebalance and run again.
     */
    static void awaitConsumers(KafkaConnection kafka, int workers, Duration bound) throws StackStartException {
        long deadline = System.nanoTime() + bound.toNanos();
        try (Admin admin = KafkaClients.admin(kafka)) {
            Assignments assignments = assignments(admin);
            while (!assignments.topics().containsAll(JOB_PATH) || assignments.calibrationWorkers() < workers) {
                if (System.nanoTime() > deadline) {
                    throw new StackStartException("after " + bound.toSeconds() + " s, " + assignments.missing(workers)
                            + "; see the services' logs");
                }
                Thread.sleep(POLL.toMillis());
                assignments = assignments(admin);
            }
        } catch (ExecutionException e) {
            throw new StackStartException("cannot ask the broker about consumers: " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackStartException("interrupted while waiting for the services' consumers", e);
        }
    }

    /** The topics some consumer holds partitions of, and how many consumers hold calibration-task partitions. */
    private record Assignments(Set<String> topics, int calibrationWorkers) {
        String missing(int workers) {
            List<String> unconsumed = JOB_PATH.stream().filter(topic -> !topics.contains(topic)).toList();
            return (unconsumed.isEmpty() ? "" : "no service consumes " + unconsumed + ", and ")
                    + calibrationWorkers + " of " + workers + " calibration workers hold a partition of "
                    + Topics.CALIBRATION_TASKS;
        }
    }

    private static Assignments assignments(Admin admin) throws ExecutionException, InterruptedException {
        List<String> groups = admin.listConsumerGroups().all().get().stream()
                .map(ConsumerGroupListing::groupId).toList();
        Set<String> topics = new HashSet<>();
        int calibrationWorkers = 0;
        for (ConsumerGroupDescription group : admin.describeConsumerGroups(groups).all().get().values()) {
            for (MemberDescription member : group.members()) {
                Set<String> held = new HashSet<>();
                member.assignment().topicPartitions().forEach(partition -> held.add(partition.topic()));
                topics.addAll(held);
                calibrationWorkers += held.contains(Topics.CALIBRATION_TASKS) ? 1 : 0;
            }
        }
        return new Assignments(topics, calibrationWorkers);
    }
}
