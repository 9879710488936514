package io.reapomni.cli.jobs;

import io.reapomni.cli.CliRun;
import io.reapomni.cli.kafka.KafkaClients;
import io.reapomni.cli.stack.EmbeddedStack;
import io.reapomni.cli.stack.OwnedProcess;
import io.reapomni.cli.stack.ReapHome;
import io.reapomni.cli.stack.StackFolder;
import io.reapomni.cli.stack.StackPart;
import io.reapomni.cli.stack.StackSettings;
import io.reapomni.cli.stack.StackState;
import io.reapomni.common.events.JobEvent;
import io.reapomni.common.events.JobPhase;
import io.reapomni.common.events.JobProgress;
import io.reapomni.common.events.PlanReady;
import io.reapomni.common.events.Topics;
import io.reapomni.common.job.PlanChoices;
import io.reapomni.common.rewrite.ReportFiles;
import io.reapomni.common.rewrite.RewriteReport;
import io.reapomni.common.rewrite.TestModels;
import io.reapomni.common.storage.LocalRoots;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.S3ObjectStore;
import io.reapomni.common.storage.StoreLocation;
import io.reapomni.common.testing.TestJobs;
import io.reapomni.devtools.synthetic.SyntheticCheckpoint;
import io.reapomni.devtools.synthetic.SyntheticModelSpec;
import io.reapomni.testfixtures.TinyQwen3Omni;
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
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Jobs from request to published model on a real broker, a real S3 endpoint and the packaged services, all started
 * as the CLI starts them. The services may use the local folders under this test's temporary folder, and no other.
 */
class PipelineIT {

    private static final String SHARD_WRITER = "shard-writer-service";
    private static final String MODELS_BUCKET = "models";
    private static final PlanChoices FIXTURE_CHOICES = TestJobs.readmeExample();
    private static final PlanChoices BIG_MODEL_CHOICES = TestJobs.stripVision(IntStream.range(0, 8).boxed().toList(),
            List.of(2));

    @TempDir
    static Path temp;

    private static StackFolder folder;
    private static StackState stack;
    private static Path fixtureModel;

    @BeforeAll
    static void startStack() throws Exception {
        folder = new StackFolder(temp.resolve("stack"));
        stack = EmbeddedStack.start(folder, ReapHome.locate(), new StackSettings(1, new LocalRoots(List.of(temp))))
                .state();
        // The endpoint serves the model from a copy: nothing the test runs may touch the shared fixture.
        fixtureModel = copy(TinyQwen3Omni.model(),
                temp.resolve("fixture-model"));
    }

    @AfterAll
    static void stopStack() throws Exception {
        EmbeddedStack.stop(folder, stack);
    }

    @Test
    void aJobOnLocalFoldersIsWrittenStraightIntoTheOutputFolderWithTheDirectRewritesBytesAndNamesTheFolders()
            throws Exception {
        Path output = temp.resolve("fixture-pruned");
        Path expected = temp.resolve("fixture-direct");
        DirectRewrite.write(fixtureModel, FIXTURE_CHOICES, expected);

        JobOutcome outcome;
        try (JobRun job = JobRun.prepare(stack, "fixture-job", fixtureModel, output, FIXTURE_CHOICES)) {
            job.publish();
            outcome = job.outcome();
        }

        assertThat(outcome).isInstanceOfSatisfying(JobOutcome.Completed.class,
                completed -> assertThat(completed.event().outputPath())
                        .isEqualTo(StoreLocation.parse(output.toString())));
        DirectRewrite.assertSameModel(output, expected);
        RewriteReport report = ReportFiles.readReport(Files.readAllBytes(output.resolve(RewriteReport.JSON_FILE)));
        assertThat(report.source()).isEqualTo(fixtureModel.toString());
        assertThat(report.output()).isEqualTo(output.toString());
        assertThat(Files.readString(output.resolve(RewriteReport.MARKDOWN_FILE))).doesNotContain("s3://");
        assertThat(DirectRewrite.fileNames(temp)).as("no staging folder is left beside the output")
                .noneMatch(name -> name.contains("reap-staging"));
        assertThat(stackBuckets()).as("nothing went through the stack's S3 endpoint").isEmpty();
    }

    @Test
    void aRequestNamingFoldersOutsideTheStacksLocalRootsIsRefusedByTheServicesAndByTheCli() throws Exception {
        Path shared = TinyQwen3Omni.model().normalize();
        Path output = temp.resolve("outside-output");

        JobOutcome outcome;
        try (JobRun job = JobRun.prepare(stack, "outside-job", shared, output, FIXTURE_CHOICES)) {
            job.publish();
            outcome = job.outcome();
        }
        CliRun prune = CliRun.of("prune", "-m", shared, "-o", output, "--strip-vision", "--run-folder",
                folder.root());

        assertThat(outcome).isInstanceOfSatisfying(JobOutcome.Failed.class, failed -> assertThat(
                failed.event().reason()).startsWith(shared + " is not under the local folders this service may use"
                + " (REAP_LOCAL_ROOTS: " + temp + ")"));
        assertThat(prune.exitCode()).as(prune.toString()).isEqualTo(2);
        assertThat(prune.err()).contains("may only use the folders under " + temp + ", not [" + shared + "]")
                .contains("--local-root");
        assertThat(output).doesNotExist();
    }

    @Test
    void aBadRequestEndsInJobFailedWithTheReasonAndNoOutput() throws Exception {
        Path output = temp.resolve("bad-output");
        PlanChoices unknownExpert = TestJobs.choices(Set.of(), List.of(0, 99), List.of());

        try (JobRun job = JobRun.prepare(stack, "bad-job", fixtureModel, output, unknownExpert)) {
            job.publish();
            JobOutcome outcome = job.outcome();

            assertThat(outcome).isInstanceOf(JobOutcome.Failed.class);
            assertThat(((JobOutcome.Failed) outcome).event().reason()).contains("99");
        }
        assertThat(output).doesNotExist();
    }

    @Test
    void aRedeliveredRequestAndARedeliveredPlanDoNotWriteTwice() throws Exception {
        Path output = temp.resolve("redelivered");
        Path expected = temp.resolve("redelivered-direct");
        DirectRewrite.write(fixtureModel, FIXTURE_CHOICES, expected);

        try (JobRun job = JobRun.prepare(stack, "redelivered-job", fixtureModel, output, FIXTURE_CHOICES)) {
            job.publish();
            assertThat(job.outcome()).isInstanceOf(JobOutcome.Completed.class);
            Map<String, FileTime> written = modificationTimes(output);

            job.publish();
            job.publish(planOf(job.jobId));
            ConsumerGroups.awaitCaughtUp(stack.kafka(), JobRun.JOB_BOUND);

            assertThat(modificationTimes(output)).isEqualTo(written);
        }
        DirectRewrite.assertSameModel(output, expected);
    }

    @Test
    void aShardWriterKilledMidJobCompletesTheJobAfterItsRestart() throws Exception {
        endTheShardWriterMidJobAndRestartIt("killed-job", ProcessHandle::destroyForcibly);
    }

    /**
     * SIGTERM, as Kubernetes stops a pod: the service stops after its current file (or mid-file when Quarkus
     * interrupts it), publishes no JobFailed and leaves the plan unacknowledged, so that its restart resumes the job.
     */
    @Test
    void aShardWriterStoppedMidJobLeavesItResumableAndCompletesItAfterItsRestart() throws Exception {
        Path log = endTheShardWriterMidJobAndRestartIt("stopped-job", ProcessHandle::destroy);

        assertThat(Files.readString(log)).as("the service's log").contains("stopped in writing")
                .doesNotContain("failed in writing");
    }

    @Test
    void aMalformedRequestGoesToTheDeadLetterTopicAndTheServiceGoesOn() throws Exception {
        String malformed = "{\"type\": \"PruneRequested\", \"jobId\": \"malformed-job\", \"request\": 42}";
        RequestPublisher.publishRaw(stack.kafka(), Topics.REQUESTS, "malformed-job", malformed);

        awaitDeadLetter(malformed);

        Path output = temp.resolve("after-malformed");
        try (JobRun job = JobRun.prepare(stack, "after-malformed-job", fixtureModel, output, FIXTURE_CHOICES)) {
            job.publish();
            assertThat(job.outcome()).isInstanceOf(JobOutcome.Completed.class);
        }
    }

    @Test
    void submitFollowAndJobsShowJobsOnS3LocationsOfTheStacksEndpointFromRequestToTheirEnd() throws Exception {
        StoreLocation.S3 model = new StoreLocation.S3(MODELS_BUCKET, "tiny-qwen3-omni");
        StoreLocation.S3 pruned = new StoreLocation.S3(MODELS_BUCKET, "pruned");
        upload(fixtureModel, model);
        Path expected = temp.resolve("submitted-direct");
        DirectRewrite.write(fixtureModel, TestJobs.stripVision(), expected);
        String runFolder = folder.root().toString();

        CliRun submitted = CliRun.of("submit", "--run-folder", runFolder, "--job-id", "submitted-job",
                "-m", model, "-o", pruned, "--strip-vision", "--follow", "--timeout", "180");
        CliRun refused = CliRun.of("submit", "--run-folder", runFolder, "--job-id", "refused-job",
                "-m", "s3://" + MODELS_BUCKET + "/no-such-model", "-o", pruned + "-x",
                "--strip-vision", "--follow", "--timeout", "180");
        CliRun followed = CliRun.of("follow", "submitted-job", "--run-folder", runFolder, "--timeout", "60");
        CliRun jobs = CliRun.of("jobs", "--run-folder", runFolder);

        assertThat(submitted.exitCode()).as(submitted.err()).isZero();
        assertThat(submitted.out()).contains("Job submitted-job completed in").contains(pruned.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("Job refused-job failed in planning");
        assertThat(followed.exitCode()).isZero();
        assertThat(followed.out()).contains("Job submitted-job completed in");
        assertThat(jobs.out()).containsPattern("submitted-job .* completed")
                .containsPattern("refused-job .* failed");
        DirectRewrite.assertSameModel(folder.s3Data().resolve(MODELS_BUCKET).resolve("pruned"), expected);
    }

    /**
     * Publishes a job on {@link #bigModel()}, ends the shard writer with {@code end} once it is writing, starts it
     * again, and expects the job to complete (a JobFailed would end it first) with the bytes of the direct rewrite.
     *
     * @return the shard writer's log
     */
    private static Path endTheShardWriterMidJobAndRestartIt(String jobId, Consumer<ProcessHandle> end) throws Exception {
        Path output = temp.resolve(jobId + "-output");
        StackPart writer = stack.part(SHARD_WRITER).orElseThrow();
        try (JobRun job = JobRun.prepare(stack, jobId, bigModel(), output, BIG_MODEL_CHOICES)) {
            job.publish();
            awaitFirstWritingProgress(job);
            ProcessHandle process = OwnedProcess.find(writer).orElseThrow();
            end.accept(process);
            process.onExit().get(60, TimeUnit.SECONDS);
            assertThat(output.resolve("reap-manifest.json")).as("ended before the job was published").doesNotExist();

            stack = EmbeddedStack.restartService(folder, ReapHome.locate(), stack, SHARD_WRITER);

            assertThat(job.outcome()).isInstanceOf(JobOutcome.Completed.class);
        }
        DirectRewrite.assertSameModel(output, bigModelRewritten());
        return writer.logFile();
    }

    /** Tens of MB in shards of 4 MiB: the first file's progress arrives long before the last file is written. */
    private static synchronized Path bigModel() throws IOException {
        Path model = temp.resolve("big-model");
        if (!Files.exists(model)) {
            SyntheticCheckpoint.write(model, new SyntheticModelSpec(512, 6, 16, 4, 256, 4, 2, 64, 1024, 1, 32, 1, 32,
                    1, 4, 32, 4L << 20));
        }
        return model;
    }

    /** {@link #bigModel()} rewritten in this JVM by {@link #BIG_MODEL_CHOICES}: what every job on it must give. */
    private static synchronized Path bigModelRewritten() throws Exception {
        Path expected = temp.resolve("big-direct");
        if (!Files.exists(expected)) {
            DirectRewrite.write(bigModel(), BIG_MODEL_CHOICES, expected);
        }
        return expected;
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
        try (TopicReader plans = TopicReader.fromBeginning(stack.kafka(), List.of(Topics.PLANS))) {
            return plans.readToEnd().stream()
                    .filter(event -> event instanceof PlanReady && event.jobId().equals(jobId))
                    .map(PlanReady.class::cast).findFirst()
                    .orElseThrow(() -> new AssertionError("no plan of job " + jobId + " on " + Topics.PLANS));
        }
    }

    private static void awaitDeadLetter(String value) {
        try (KafkaConsumer<String, String> consumer = KafkaClients.reader(stack.kafka())) {
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

    /** Copies a local model into the stack's S3 endpoint, as a user uploads one, through the S3 API. */
    private static void upload(Path from, StoreLocation.S3 to) throws IOException {
        // The endpoint's filesystem backend serves each folder of its data folder as a bucket.
        Files.createDirectories(folder.s3Data().resolve(to.bucket()));
        try (ObjectStore target = S3ObjectStore.open(stack.s3(), to)) {
            TestModels.upload(from, target);
        }
    }

    /** The buckets of the stack's S3 endpoint other than the one the S3 test uploads to. */
    private static List<String> stackBuckets() throws IOException {
        if (!Files.isDirectory(folder.s3Data())) {
            return List.of();
        }
        return DirectRewrite.fileNames(folder.s3Data()).stream().filter(name -> !name.equals(MODELS_BUCKET)).toList();
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
}
