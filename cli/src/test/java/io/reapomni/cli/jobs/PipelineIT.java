package io.reapomni.cli.jobs;

import io.reapomni.cli.CliRun;
import io.reapomni.cli.stack.EmbeddedStack;
import io.reapomni.cli.stack.FolderBuckets;
import io.reapomni.cli.stack.OwnedProcess;
import io.reapomni.cli.stack.ReapHome;
import io.reapomni.cli.stack.StackFolder;
import io.reapomni.cli.stack.StackPart;
import io.reapomni.cli.stack.StackState;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.events.JobEvent;
import io.reapomni.common.events.JobPhase;
import io.reapomni.common.events.JobProgress;
import io.reapomni.common.events.PlanReady;
import io.reapomni.common.events.Topics;
import io.reapomni.common.job.PlanChoices;
import io.reapomni.common.plan.Strip;
import io.reapomni.common.storage.StoreLocation;
import io.reapomni.common.synthetic.SyntheticCheckpoint;
import io.reapomni.common.synthetic.SyntheticModelSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Jobs from request to published model on a real broker, a real S3 endpoint and the packaged services, all started
 * as the CLI starts them.
 */
class PipelineIT {

    private static final String SHARD_WRITER = "shard-writer-service";
    private static final PlanChoices FIXTURE_CHOICES = new PlanChoices(Set.of(Strip.VISION), MoeStack.THINKER,
            List.of(0, 2, 5, 7), new TreeMap<>(), List.of(1, 4), Optional.empty());

    @TempDir
    static Path temp;

    private static StackFolder folder;
    private static StackState stack;
    private static Path fixtureModel;

    @BeforeAll
    static void startStack() throws Exception {
        folder = new StackFolder(temp.resolve("stack"));
        stack = EmbeddedStack.start(folder, ReapHome.locate(), 1).state();
        // The endpoint serves the model from a copy: nothing the test runs may touch the shared fixture.
        fixtureModel = copy(Path.of(System.getProperty("reap.fixtures"), "tiny-qwen3-omni", "model"),
                temp.resolve("fixture-model"));
    }

    @AfterAll
    static void stopStack() throws Exception {
        EmbeddedStack.stop(folder, stack);
    }

    @Test
    void stripExpertsAndLayersThroughTheServicesGiveTheBytesOfTheDirectRewrite() throws Exception {
        Path output = temp.resolve("fixture-pruned");
        Path expected = temp.resolve("fixture-direct");
        DirectRewrite.write(fixtureModel, FIXTURE_CHOICES, expected);

        try (JobRun job = JobRun.prepare(folder, stack, "fixture-job", fixtureModel, output, FIXTURE_CHOICES)) {
            job.publish();
            assertThat(job.outcome()).isInstanceOf(JobOutcome.Completed.class);
        }

        DirectRewrite.assertSameModel(output, expected);
    }

    @Test
    void aBadRequestEndsInJobFailedWithTheReasonAndNoOutput() throws Exception {
        Path output = temp.resolve("bad-output");
        PlanChoices unknownExpert = new PlanChoices(Set.of(), MoeStack.THINKER, List.of(0, 99), new TreeMap<>(),
                List.of(), Optional.empty());

        try (JobRun job = JobRun.prepare(folder, stack, "bad-job", fixtureModel, output, unknownExpert)) {
            job.publish();
            JobOutcome outcome = job.outcome();

            assertThat(outcome).isInstanceOf(JobOutcome.Failed.class);
            assertThat(((JobOutcome.Failed) outcome).event().reason()).contains("99");
        }
        assertThat(DirectRewrite.fileNames(output)).isEmpty();
    }

    @Test
    void aRedeliveredRequestAndARedeliveredPlanDoNotWriteTwice() throws Exception {
        Path output = temp.resolve("redelivered");
        Path expected = temp.resolve("redelivered-direct");
        DirectRewrite.write(fixtureModel, FIXTURE_CHOICES, expected);

        try (JobRun job = JobRun.prepare(folder, stack, "redelivered-job", fixtureModel, output, FIXTURE_CHOICES)) {
            job.publish();
            assertThat(job.outcome()).isInstanceOf(JobOutcome.Completed.class);
            Map<String, FileTime> written = modificationTimes(output);

            job.publish();
            job.publish(planOf(job.jobId));
            ConsumerGroups.awaitCaughtUp(stack.bootstrapServers(), JobRun.JOB_BOUND);

            assertThat(modificationTimes(output)).isEqualTo(written);
        }
        DirectRewrite.assertSameModel(output, expected);
    }

    @Test
    void aShardWriterKilledMidJobCompletesTheJobAfterItsRestart() throws Exception {
        Path model = temp.resolve("big-model");
        // Tens of MB in shards of 4 MiB: the first file's progress arrives long before the last file is written.
        SyntheticModelSpec sizes = new SyntheticModelSpec(512, 6, 16, 4, 256, 4, 2, 64, 1024, 1, 32, 1, 32, 1, 4, 32,
                4L << 20);
        SyntheticCheckpoint.write(model, sizes);
        PlanChoices choices = new PlanChoices(Set.of(Strip.VISION), MoeStack.THINKER,
                IntStream.range(0, 8).boxed().toList(), new TreeMap<>(), List.of(2), Optional.empty());
        Path output = temp.resolve("big-pruned");
        Path expected = temp.resolve("big-direct");
        DirectRewrite.write(model, choices, expected);

        try (JobRun job = JobRun.prepare(folder, stack, "killed-job", model, output, choices)) {
            job.publish();
            awaitFirstWritingProgress(job);
            StackPart writer = stack.part(SHARD_WRITER).orElseThrow();
            ProcessHandle process = OwnedProcess.find(writer).orElseThrow();
            process.destroyForcibly();
            process.onExit().get(30, TimeUnit.SECONDS);
            assertThat(output.resolve("reap-manifest.json")).as("killed before the job was published").doesNotExist();

            stack = EmbeddedStack.restartService(folder, ReapHome.locate(), stack, SHARD_WRITER);

            assertThat(job.outcome()).isInstanceOf(JobOutcome.Completed.class);
        }
        DirectRewrite.assertSameModel(output, expected);
    }

    @Test
    void aMalformedRequestGoesToTheDeadLetterTopicAndTheServiceGoesOn() throws Exception {
        String malformed = "{\"type\": \"PruneRequested\", \"jobId\": \"malformed-job\", \"request\": 42}";
        RequestPublisher.publishRaw(broker(), Topics.REQUESTS, "malformed-job", malformed);

        awaitDeadLetter(malformed);

        Path output = temp.resolve("after-malformed");
        try (JobRun job = JobRun.prepare(folder, stack, "after-malformed-job", fixtureModel, output,
                FIXTURE_CHOICES)) {
            job.publish();
            assertThat(job.outcome()).isInstanceOf(JobOutcome.Completed.class);
        }
    }

    @Test
    void submitFollowAndJobsShowJobsFromRequestToTheirEnd() throws Exception {
        Path output = Files.createDirectories(temp.resolve("submitted"));
        StoreLocation.S3 modelBucket = FolderBuckets.map(folder, "submitted-job", fixtureModel, "model");
        StoreLocation.S3 outputBucket = FolderBuckets.map(folder, "submitted-job", output, "output");
        String servers = stack.bootstrapServers();
        try {
            CliRun submitted = CliRun.of("submit", "--bootstrap-servers", servers, "--job-id", "submitted-job",
                    "-m", modelBucket.toString(), "-o", outputBucket.toString(), "--strip-vision", "--follow",
                    "--timeout", "180");
            CliRun refused = CliRun.of("submit", "--bootstrap-servers", servers, "--job-id", "refused-job",
                    "-m", "s3://" + modelBucket.bucket() + "/no-such-model", "-o", outputBucket.toString() + "-x",
                    "--strip-vision", "--follow", "--timeout", "180");
            CliRun followed = CliRun.of("follow", "submitted-job", "--bootstrap-servers", servers,
                    "--timeout", "60");
            CliRun jobs = CliRun.of("jobs", "--bootstrap-servers", servers);

            assertThat(submitted.exitCode()).as(submitted.err()).isZero();
            assertThat(submitted.out()).contains("Job submitted-job completed in").contains(outputBucket.toString());
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.err()).contains("Job refused-job failed in planning");
            assertThat(followed.exitCode()).isZero();
            assertThat(followed.out()).contains("Job submitted-job completed in");
            assertThat(jobs.out()).containsPattern("submitted-job .* completed")
                    .containsPattern("refused-job .* failed");
        } finally {
            FolderBuckets.unmap(folder, modelBucket);
            FolderBuckets.unmap(folder, outputBucket);
        }
    }

    private static void awaitFirstWritingProgress(JobRun job) {
        long deadline = System.nanoTime() + JobRun.JOB_BOUND.toNanos();
        while (System.nanoTime() < deadline) {
            for (JobEvent event : job.events.poll(Duration.ofMillis(50))) {
                if (!event.jobId().equals(job.jobId)) {
                    continue;
                }
                if (!(event instanceof JobProgress progress)) {
                    fail("the job ended before the shard writer could be killed: " + event);
                } else if (progress.phase() == JobPhase.WRITING) {
                    return;
                }
            }
        }
        fail("no progress of the writing phase within " + JobRun.JOB_BOUND);
    }

    private static PlanReady planOf(String jobId) throws IOException {
        try (TopicReader plans = TopicReader.fromBeginning(broker(), List.of(Topics.PLANS))) {
            return plans.readToEnd().stream()
                    .filter(event -> event instanceof PlanReady && event.jobId().equals(jobId))
                    .map(PlanReady.class::cast).findFirst()
                    .orElseThrow(() -> new AssertionError("no plan of job " + jobId + " on " + Topics.PLANS));
        }
    }

    private static void awaitDeadLetter(String value) {
        try (KafkaConsumer<String, String> consumer = KafkaClients.reader(broker())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.DEAD_LETTER).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + JobRun.JOB_BOUND.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (value.equals(record.value())) {
                        return;
                    }
                }
            }
        }
        fail("the malformed message did not reach " + Topics.DEAD_LETTER + " within " + JobRun.JOB_BOUND);
    }

    private static Map<String, FileTime> modificationTimes(Path folder) throws IOException {
        Map<String, FileTime> times = new HashMap<>();
        for (String name : DirectRewrite.fileNames(folder)) {
            times.put(name, Files.getLastModifiedTime(folder.resolve(name)));
        }
        return times;
    }

    private static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        for (String name : DirectRewrite.fileNames(from)) {
            Files.copy(from.resolve(name), to.resolve(name));
        }
        return to;
    }

    /** The stack's broker, as the CLI connects to it. */
    private static KafkaConnection broker() {
        return KafkaConnection.plaintext(stack.bootstrapServers());
    }
}
