package io.reapomni.cli.jobs;

import io.reapomni.cli.CliRun;
import io.reapomni.cli.stack.EmbeddedStack;
import io.reapomni.cli.stack.OwnedProcess;
import io.reapomni.cli.stack.ReapHome;
import io.reapomni.cli.stack.StackFolder;
import io.reapomni.cli.stack.StackSettings;
import io.reapomni.cli.stack.StackState;
import io.reapomni.common.events.JobEvent;
import io.reapomni.common.events.JobFailed;
import io.reapomni.common.events.JobPhase;
import io.reapomni.common.events.JobProgress;
import io.reapomni.common.events.PruneRequested;
import io.reapomni.common.events.Topics;
import io.reapomni.common.job.CalibrationSettings;
import io.reapomni.common.job.Modality;
import io.reapomni.common.job.PlanChoices;
import io.reapomni.common.job.PruneRequest;
import io.reapomni.common.job.SaliencyNormalization;
import io.reapomni.common.storage.LocalRoots;
import io.reapomni.common.storage.StoreLocation;
import io.reapomni.common.testing.TestJobs;
import io.reapomni.devtools.calibrationdata.CalibrationDataGenerator;
import io.reapomni.devtools.synthetic.SyntheticCheckpoint;
import io.reapomni.devtools.synthetic.SyntheticModelSpec;
import io.reapomni.testfixtures.TinyQwen3Omni;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Faults on a running stack (a real broker, a real S3 endpoint and the packaged services, as the CLI starts them):
 * services killed with SIGKILL mid-job and restarted, a broker restarted mid-job, services that stop answering. A
 * job either completes with the output of an undisturbed run or ends with a reason that names what failed; each test
 * leaves the stack whole for the next.
 */
class ChaosIT {

    private static final String STRIP = "strip-service";
    private static final String SCORING = "scoring-service";
    private static final String SHARD_WRITER = "shard-writer-service";
    private static final int SAMPLES = 3;
    private static final int WORKERS = 2;
    private static final Duration BOUND = Duration.ofMinutes(3);
    /** Job ids of this run: the embedded scoring service keeps finished jobs' ids beyond its stack. */
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    static Path temp;

    private static StackFolder folder;
    private static StackState stack;
    /** A model of many small shards: planning reads every shard's header, which takes long enough to be cut. */
    private static Path manyShards;
    /** A model of a few large shards: writing it takes long enough to be cut. */
    private static Path largeShards;
    private static Path fixtureModel;
    private static Path audioData;

    @BeforeAll
    static void startStack() throws Exception {
        folder = new StackFolder(temp.resolve("stack"));
        // two workers, so that a calibrated job has two tasks, and the scoring service can be killed between them
        stack = EmbeddedStack.start(folder, ReapHome.locate(), new StackSettings(WORKERS,
                new LocalRoots(List.of(temp)))).state();
        SyntheticModelSpec small = SyntheticModelSpec.small();
        manyShards = temp.resolve("many-shards");
        SyntheticCheckpoint.write(manyShards, withShardBytes(small, 8 << 10));
        largeShards = temp.resolve("large-shards");
        SyntheticCheckpoint.write(largeShards, new SyntheticModelSpec(512, 6, 16, 4, 256, 4, 2, 64, 1024, 1, 32, 1,
                32, 1, 4, 32, 4L << 20));
        fixtureModel = Files.createDirectories(temp.resolve("fixture-model"));
        Path fixture = TinyQwen3Omni.model();
        for (String name : DirectRewrite.fileNames(fixture)) {
            Files.copy(fixture.resolve(name), fixtureModel.resolve(name));
        }
        audioData = CalibrationDataGenerator.withInstalledTools().generate(temp.resolve("calib"), SAMPLES, 5)
                .file(Modality.AUDIO);
    }

    @AfterAll
    static void stopStack() throws Exception {
        EmbeddedStack.stop(folder, stack);
    }

    @Test
    void aStripServiceKilledWhilePlanningLeavesTheRequestToItsRestartAndTheJobWritesTheUndisturbedModel()
            throws Exception {
        PlanChoices choices = stripExpertsAndALayer();
        Path output = temp.resolve(id("strip-killed"));
        Path expected = temp.resolve("strip-killed-direct");
        DirectRewrite.write(manyShards, choices, expected);

        try (JobRun job = JobRun.prepare(stack, id("strip-killed"), manyShards, output, choices)) {
            job.publish();
            awaitLogLine(STRIP, "jobId=" + id("strip-killed") + " ", "planning the request");
            kill(STRIP);
            assertThat(eventsSoFar(job)).as("killed before planning ended").isEmpty();

            stack = EmbeddedStack.restartService(folder, ReapHome.locate(), stack, STRIP);

            assertThat(job.outcome()).isInstanceOf(JobOutcome.Completed.class);
        }
        DirectRewrite.assertSameModel(output, expected);
    }

    @Test
    void aScoringServiceKilledWhileStatisticsComeInCompletesTheJobAfterItsRestartWithTheUndisturbedModel()
            throws Exception {
        Path undisturbed = temp.resolve(id("scoring-undisturbed"));
        CliRun reference = calibratedPrune(id("scoring-undisturbed"), undisturbed);
        assertThat(reference.exitCode()).as(reference.toString()).isZero();

        Path output = temp.resolve(id("scoring-killed"));
        // Published and followed without the embedded stack's health check, which would end the job's watch as
        // soon as a service is gone: here the job must outlive its scoring service.
        try (TopicReader events = TopicReader.fromNow(stack.kafka(), List.of(Topics.JOB_EVENTS))) {
            CalibrationSettings settings = new CalibrationSettings(Map.of(Modality.AUDIO, audioData.toString()),
                    SAMPLES, OptionalDouble.of(0.5), CalibrationSettings.DEFAULT_LAMBDA,
                    CalibrationSettings.DEFAULT_BETA, -1, 2, CalibrationSettings.DEFAULT_PROTECT_FIRST,
                    CalibrationSettings.DEFAULT_PROTECT_LAST, CalibrationSettings.DEFAULT_LAYERS_TO_SKIP,
                    SaliencyNormalization.REAP);
            RequestPublisher.publish(stack.kafka(), Topics.REQUESTS, PruneRequested.of(id("scoring-killed"),
                    new PruneRequest(StoreLocation.parse(fixtureModel.toString()),
                            StoreLocation.parse(output.toString()), TestJobs.stripVision(), Optional.of(settings))));
            // At least one task's statistics in: scoring reports "2 of 2" at once when it reads the job's plan after
            // both (a consumer still catching up), and there is no "1 of 2" to wait for.
            awaitEvent(events, id("scoring-killed"), event -> event instanceof JobProgress progress
                    && progress.unit().equals("tasks") && progress.done() >= 1 && progress.total() == WORKERS);
            kill(SCORING);
            stack = EmbeddedStack.restartService(folder, ReapHome.locate(), stack, SCORING);

            assertThat(JobWatch.follow(events, id("scoring-killed"), new PrintWriter(new StringWriter()),
                    JobWatch.Health.ASSUMED, new Patience(Optional.of(BOUND), Optional.empty())))
                    .isInstanceOf(JobOutcome.Completed.class);
        }
        DirectRewrite.assertSameModel(output, undisturbed);
    }

    @Test
    void aBrokerRestartedMidJobWithEveryServiceRunningLetsTheJobCompleteWithTheUndisturbedModel() throws Exception {
        PlanChoices choices = stripExpertsAndALayer();
        Path output = temp.resolve(id("broker-restarted"));
        Path expected = temp.resolve("broker-restarted-direct");
        DirectRewrite.write(largeShards, choices, expected);

        try (JobRun job = JobRun.prepare(stack, id("broker-restarted"), largeShards, output, choices)) {
            job.publish();
            awaitEvent(job.events, job.jobId, ChaosIT::writing);

            stack = EmbeddedStack.restartBroker(folder, ReapHome.locate(), stack);

            assertThat(job.outcome()).isInstanceOf(JobOutcome.Completed.class);
        }
        DirectRewrite.assertSameModel(output, expected);
    }

    @Test
    void aLocalPruneWhoseShardWriterHangsGivesUpNamingIt() throws Exception {
        awaitServing();
        Path output = temp.resolve(id("writer-hangs"));
        try (TopicReader events = TopicReader.fromNow(stack.kafka(), List.of(Topics.JOB_EVENTS))) {
            CompletableFuture<CliRun> prune = CompletableFuture.supplyAsync(() -> CliRun.of("prune", "-m",
                    largeShards, "-o", output, "--strip-vision", "--job-id", id("writer-hangs"), "--idle-timeout", "8",
                    "--run-folder", folder.root()));
            awaitEvent(events, id("writer-hangs"), ChaosIT::writing);
            ProcessHandle writer = OwnedProcess.find(stack.part(SHARD_WRITER).orElseThrow()).orElseThrow();
            signal("STOP", writer);
            CliRun run;
            try {
                run = prune.get(BOUND.toSeconds(), TimeUnit.SECONDS);
            } finally {
                signal("CONT", writer);
            }

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
            assertThat(run.err()).contains("no event of job " + id("writer-hangs") + " for 8 s: the shard writer"
                    + " (shard-writer-service) did not answer; the last event, at ").contains("was writing");
        }
    }

    @Test
    void aLocalPruneWhoseShardWriterDiesEndsNamingIt() throws Exception {
        Path output = temp.resolve(id("writer-dies"));
        try (TopicReader events = TopicReader.fromNow(stack.kafka(), List.of(Topics.JOB_EVENTS))) {
            CompletableFuture<CliRun> prune = CompletableFuture.supplyAsync(() -> CliRun.of("prune", "-m",
                    largeShards, "-o", output, "--strip-vision", "--job-id", id("writer-dies"), "--run-folder",
                    folder.root()));
            awaitEvent(events, id("writer-dies"), ChaosIT::writing);
            kill(SHARD_WRITER);
            CliRun run = prune.get(BOUND.toSeconds(), TimeUnit.SECONDS);

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
            assertThat(run.err()).contains("job " + id("writer-dies") + " cannot end: shard-writer-service has stopped;"
                    + " its log is "
                    + folder.log(SHARD_WRITER));
        } finally {
            stack = EmbeddedStack.restartService(folder, ReapHome.locate(), stack, SHARD_WRITER);
        }
    }

    @Test
    void submitAndFollowGiveUpWhenNoServiceTakesTheRequestNamingTheStripService() throws Exception {
        Path out = temp.resolve(id("unanswered"));
        ProcessHandle strip = OwnedProcess.find(stack.part(STRIP).orElseThrow()).orElseThrow();
        signal("STOP", strip);
        CliRun submitted;
        CliRun followed;
        try {
            submitted = CliRun.of("submit", "--run-folder", folder.root(), "--job-id", id("unanswered"), "-m",
                    manyShards, "-o", out, "--strip-vision", "--follow", "--idle-timeout", "5");
            followed = CliRun.of("follow", id("unanswered"), "--run-folder", folder.root(), "--idle-timeout", "3");
        } finally {
            signal("CONT", strip);
        }
        try (TopicReader events = TopicReader.fromBeginning(stack.kafka(), List.of(Topics.JOB_EVENTS))) {
            assertThat(submitted.exitCode()).as(submitted.toString()).isEqualTo(1);
            assertThat(submitted.err()).contains("no event of job " + id("unanswered") + " for 5 s: the strip service"
                    + " (strip-service) did not answer the request");
            assertThat(followed.exitCode()).isEqualTo(1);
            assertThat(followed.err()).contains("no event of job " + id("unanswered") + " for 3 s: the strip service");
            assertThat(JobWatch.follow(events, id("unanswered"), new PrintWriter(new StringWriter()),
                    JobWatch.Health.ASSUMED, new Patience(Optional.of(BOUND), Optional.empty())))
                    .as("answered once the strip service runs again").isInstanceOf(JobOutcome.Completed.class);
        }
    }

    private static String id(String name) {
        return name + "-" + RUN;
    }

    /** Holding no samples out, as the request the scoring test publishes itself: both calibrate on the same ones. */
    private static CliRun calibratedPrune(String jobId, Path output) {
        return CliRun.of("prune", "-m", fixtureModel, "-o", output, "--strip-vision", "--retention-rate", "0.5",
                "--max-layers", "2", "--similarity-threshold", "-1", "--audio-data", audioData,
                "--calibration-samples", SAMPLES, "--evaluate-samples", "0", "--job-id", jobId, "--run-folder",
                folder.root());
    }

    private static PlanChoices stripExpertsAndALayer() {
        return TestJobs.stripVision(IntStream.range(0, 8).boxed().toList(), List.of(2));
    }

    private static boolean writing(JobEvent event) {
        return event instanceof JobProgress progress && progress.phase() == JobPhase.WRITING;
    }

    /**
     * Returns once a small job has gone through the planning, scoring and writing services: after another test
     * restarted the broker or a service, their consumers may take seconds to fetch again, which a test that times the
     * services' silence must not count.
     */
    private static void awaitServing() throws Exception {
        try (JobRun probe = JobRun.prepare(stack, id("probe"), manyShards, temp.resolve(id("probe")),
                stripExpertsAndALayer())) {
            probe.publish();
            assertThat(probe.outcome()).as("a probe job before the timed one").isInstanceOf(JobOutcome.Completed.class);
        }
    }

    /** SIGKILL, and the process gone. */
    private static void kill(String service) throws Exception {
        ProcessHandle process = OwnedProcess.find(stack.part(service).orElseThrow()).orElseThrow();
        process.destroyForcibly();
        process.onExit().get(30, TimeUnit.SECONDS);
    }

    /** SIGSTOP makes a service hang as a deadlocked one would; SIGCONT lets it go on. */
    private static void signal(String signal, ProcessHandle process) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -" + signal).isZero();
    }

    private static void awaitEvent(TopicReader events, String jobId, Predicate<JobEvent> match) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (System.nanoTime() < deadline) {
            for (JobEvent event : events.poll(Duration.ofMillis(50))) {
                if (event.jobId().equals(jobId) && match.test(event)) {
                    return;
                }
                if (event.jobId().equals(jobId) && event instanceof JobFailed failed) {
                    fail("job " + jobId + " failed before the awaited event: " + failed);
                }
            }
        }
        fail("job " + jobId + " had no such event within " + BOUND);
    }

    /** The job's events published so far, read to the end of the topic as it is now. */
    private static List<JobEvent> eventsSoFar(JobRun job) {
        List<JobEvent> events = new ArrayList<>();
        for (JobEvent event : job.events.readToEnd()) {
            if (event.jobId().equals(job.jobId)) {
                events.add(event);
            }
        }
        return events;
    }

    private static void awaitLogLine(String service, String... parts) throws IOException, InterruptedException {
        Path log = folder.log(service);
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.readAllLines(log).stream().anyMatch(line -> List.of(parts).stream().allMatch(line::contains))) {
                return;
            }
            Thread.sleep(10);
        }
        fail(service + " never logged " + List.of(parts) + " within " + BOUND);
    }

    private static SyntheticModelSpec withShardBytes(SyntheticModelSpec spec, long shardBytes) {
        return new SyntheticModelSpec(spec.hiddenSize(), spec.layers(), spec.experts(), spec.expertsPerToken(),
                spec.moeIntermediateSize(), spec.attentionHeads(), spec.keyValueHeads(), spec.headDim(),
                spec.vocabSize(), spec.audioLayers(), spec.audioWidth(), spec.visionDepth(), spec.visionWidth(),
                spec.talkerLayers(), spec.talkerExperts(), spec.talkerHiddenSize(), shardBytes);
    }
}
