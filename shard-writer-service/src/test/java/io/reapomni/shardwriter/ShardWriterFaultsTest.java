package io.reapomni.shardwriter;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.events.EventCodec;
import io.reapomni.common.events.JobCompleted;
import io.reapomni.common.events.PlanReady;
import io.reapomni.common.events.Topics;
import io.reapomni.common.plan.PruningPlan;
import io.reapomni.common.rewrite.RewriteFixture;
import io.reapomni.common.storage.LocalObjectStore;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.StoreLocation;
import io.reapomni.common.storage.testing.FaultInjectingProxy.Fault;
import io.reapomni.common.storage.testing.FaultInjectingProxy.Schedule;
import io.reapomni.common.testing.TestJobs;
import io.reapomni.service.StorageSettings;
import io.reapomni.service.testing.KafkaTestResource;
import io.reapomni.service.testing.S3TestResource;
import io.reapomni.service.testing.TopicProbe;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The service on a real broker and a real S3 endpoint that, for a while, answers 503 SlowDown, resets connections
 * before and after doing the work and cuts answers off: the job completes, with the bytes of an undisturbed run.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(FaultyS3TestResource.class)
class ShardWriterFaultsTest {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(3);
    private static final List<Fault> EVERY_FAULT = List.of(Fault.SLOW_DOWN, Fault.NONE, Fault.RESET_BEFORE_SERVER,
            Fault.NONE, Fault.RESET_AFTER_SERVER, Fault.NONE, Fault.TRUNCATED_ANSWER, Fault.NONE);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    StorageSettings storage;

    FaultyS3TestResource.Handles faults;

    @TempDir
    Path folder;

    @AfterEach
    void stopFaults() {
        faults.proxy().schedule(Schedule.NONE);
    }

    @Test
    void aJobThroughBurstsOf503sAndResetsCompletesWithTheBytesOfAnUndisturbedRun() throws Exception {
        PruningPlan plan = plan();
        String jobId = "faults-job";
        PlanReady planReady = PlanReady.of(jobId, StoreLocation.parse(FaultyS3TestResource.MODEL),
                StoreLocation.parse("s3://" + S3TestResource.BUCKET + "/pruned/" + jobId), plan);
        faults.proxy().schedule(Schedule.onceEach(faults.proxy().requests() + 1, 300, EVERY_FAULT));

        try (TopicProbe probe = new TopicProbe(bootstrapServers)) {
            probe.send(Topics.PLANS, jobId, EventCodec.encode(planReady));
            JobCompleted completed = probe.awaitEvent(Topics.JOB_EVENTS, jobId, JobCompleted.class, JOB_TIMEOUT);
            assertThat(completed.outputPath()).isEqualTo(planReady.outputPath());
        }
        faults.proxy().schedule(Schedule.NONE);

        for (Fault fault : List.of(Fault.SLOW_DOWN, Fault.RESET_BEFORE_SERVER, Fault.RESET_AFTER_SERVER,
                Fault.TRUNCATED_ANSWER)) {
            assertThat(faults.proxy().injected(fault)).as("requests that got %s", fault).isPositive();
        }
        assertThat(faults.proxy().faultyRequests()).as("faults in multipart uploads of server-side copies")
                .anyMatch(request -> request.isMultipart() && request.method().equals("PUT"));
        try (ObjectStore output = storage.open(planReady.outputPath())) {
            assertThat(RewriteFixture.modelFiles(output))
                    .containsExactlyInAnyOrderEntriesOf(FixturePlans.directRewrite(faults.localModel(), plan,
                            folder.resolve("undisturbed")));
        }
    }

    @Test
    void theConfiguredLocationsAreSweptOfStagingFoldersThatNoJobCameBackFor() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (Files.exists(faults.staleStaging()) && System.nanoTime() < deadline) {
            Thread.sleep(50); // the pace of polling a condition that has a deadline
        }
        if (Files.exists(faults.staleStaging())) {
            fail("the stale staging folder " + faults.staleStaging() + " is still there after 60 s");
        }
        assertThat(faults.recentStaging()).exists();
    }

    private PruningPlan plan() throws Exception {
        try (LocalObjectStore model = new LocalObjectStore(faults.localModel())) {
            return TestJobs.stripVision(IntStream.range(0, 8).boxed().toList(), List.of(2)).plan(Checkpoint.open(model))
                    .plan();
        }
    }
}
