package io.reapomni.scoring;

import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.events.CalibrationStatsReported;
import io.reapomni.common.events.JobEvent;
import io.reapomni.common.events.JobFailed;
import io.reapomni.common.events.JobPhase;
import io.reapomni.common.events.JobPlanned;
import io.reapomni.common.events.JobProgress;
import io.reapomni.common.events.PlanReady;
import io.reapomni.common.job.HeldOutSamples;
import io.reapomni.common.plan.Strip;
import io.reapomni.common.storage.LocalObjectStore;
import io.reapomni.common.storage.ObjectStores;
import io.reapomni.common.testing.TestJobs;
import io.reapomni.scoring.jobs.JobStateStore;
import io.reapomni.scoring.jobs.ScoringJobs;
import io.reapomni.testfixtures.TinyQwen3Omni;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Gathering a calibrated job's statistics in a state folder, without Kafka. */
class ScoringJobsTest {

    private static final Duration DEADLINE = Duration.ofHours(1);
    /** Alone, task a would keep experts 0..3; merged with b (REAP means over both), 4..7 win in every layer. */
    private static final double[] TASK_A = {8, 7, 6, 5, 4, 3, 2, 1};
    private static final double[] TASK_B = {0, 0, 0, 0, 10, 10, 10, 10};

    @TempDir
    Path state;

    private final List<JobEvent> published = new ArrayList<>();

    @Test
    void scoresOnceTheLastTaskIsInWhateverTheOrderAndIgnoresADuplicate() throws Exception {
        JobPlanned planned = planned("job-1");
        ScoringJobs jobs = jobs();

        jobs.statsReported(taskB(planned));
        jobs.statsReported(taskB(planned));
        jobs.planned(planned);
        jobs.statsReported(taskA(planned));

        assertThat(events(PlanReady.class)).singleElement().satisfies(ready -> {
            assertThat(ready.plan().strip()).containsExactly(Strip.VISION);
            assertThat(ready.plan().expertsOf(MoeStack.THINKER).orElseThrow().values())
                    .hasSize(StatsDocuments.LAYERS).containsOnly(List.of(4, 5, 6, 7));
            assertThat(ready.outputPath()).isEqualTo(planned.request().outputPath().orElseThrow());
        });
        List<JobProgress> calibration = events(JobProgress.class).stream()
                .filter(progress -> progress.phase() == JobPhase.CALIBRATION).toList();
        assertThat(calibration).extracting(JobProgress::done).containsExactly(1L, 2L);
        assertThat(calibration).allSatisfy(progress -> assertThat(progress.total()).isEqualTo(2));
        assertThat(published.get(published.size() - 1)).isInstanceOf(PlanReady.class);
        assertThat(published.get(published.size() - 2)).as("before the plan, where it goes, so that a watcher sees"
                        + " it before the shard writer's progress")
                .isInstanceOfSatisfying(JobProgress.class, progress -> {
                    assertThat(progress.phase()).isEqualTo(JobPhase.SCORING);
                    assertThat(progress.detail()).isEqualTo("the plan is made and goes to the shard writer");
                });
    }

    @Test
    void theSamplesHeldOutForEvaluationGoToTheShardWriterWithThePlan() throws Exception {
        JobPlanned calibrated = planned("job-1");
        HeldOutSamples heldOut = new HeldOutSamples("/data/audio.jsonl", 12, 4, 8);
        JobPlanned planned = JobPlanned.of(calibrated.jobId(), calibrated.request(), calibrated.staticPlan(),
                calibrated.calibrationTasks(), Optional.of(heldOut));
        ScoringJobs jobs = jobs();

        jobs.planned(planned);
        jobs.statsReported(taskA(planned));
        jobs.statsReported(taskB(planned));

        assertThat(events(PlanReady.class)).singleElement()
                .satisfies(ready -> assertThat(ready.evaluation()).contains(heldOut));
    }

    @Test
    void theSamePlanComesOfEitherOrder() throws Exception {
        JobPlanned first = planned("job-1");
        JobPlanned second = planned("job-2");
        ScoringJobs jobs = jobs();

        jobs.planned(first);
        jobs.statsReported(taskA(first));
        jobs.statsReported(taskB(first));
        jobs.planned(second);
        jobs.statsReported(taskB(second));
        jobs.statsReported(taskA(second));

        List<PlanReady> plans = events(PlanReady.class);
        assertThat(plans).hasSize(2);
        assertThat(plans.get(0).plan()).isEqualTo(plans.get(1).plan());
    }

    @Test
    void aNewInstanceCarriesOnFromTheStateTheOldOneKept() throws Exception {
        JobPlanned planned = planned("job-1");
        jobs().planned(planned);
        jobs().statsReported(taskA(planned));

        jobs().statsReported(taskB(planned));

        assertThat(events(PlanReady.class)).singleElement().satisfies(ready ->
                assertThat(ready.plan().expertsOf(MoeStack.THINKER).orElseThrow().get(0)).containsExactly(4, 5, 6, 7));
    }

    @Test
    void statisticsOfAFinishedJobChangeNothing() throws Exception {
        JobPlanned planned = planned("job-1");
        ScoringJobs jobs = jobs();
        jobs.planned(planned);
        jobs.statsReported(taskA(planned));
        jobs.statsReported(taskB(planned));
        int before = published.size();

        jobs.statsReported(taskA(planned));
        jobs.planned(planned);

        assertThat(published).hasSize(before);
    }

    @Test
    void aJobWhoseAudioSamplesWereAllSkippedFailsWithTheirReasons() throws Exception {
        JobPlanned planned = planned("job-1");
        ScoringJobs jobs = jobs();

        jobs.planned(planned);
        jobs.statsReported(StatsDocuments.task(planned.jobId(), "a", 2,
                StatsDocuments.allSkipped("clip-1", "audio file clips/1.wav not found")));
        jobs.statsReported(StatsDocuments.task(planned.jobId(), "b", 2,
                StatsDocuments.allSkipped("clip-2", "not 16-bit PCM")));

        assertThat(events(PlanReady.class)).isEmpty();
        assertThat(events(JobFailed.class)).singleElement().satisfies(failed -> {
            assertThat(failed.phase()).isEqualTo(JobPhase.SCORING);
            assertThat(failed.reason()).startsWith("no usable audio sample")
                    .contains("clip-1: audio file clips/1.wav not found").contains("clip-2: not 16-bit PCM");
        });
    }

    @Test
    void aJobWhoseStatisticsDoNotCompleteFailsAfterTheDeadlineAndNotBefore() throws Exception {
        JobPlanned planned = planned("job-1");
        ScoringJobs jobs = jobs();
        jobs.planned(planned);
        jobs.statsReported(taskA(planned));

        jobs.expireOverdue(planned.timestamp().plus(DEADLINE).minusSeconds(1));
        assertThat(events(JobFailed.class)).isEmpty();

        jobs.expireOverdue(planned.timestamp().plus(DEADLINE).plusSeconds(1));
        assertThat(events(JobFailed.class)).singleElement().satisfies(failed -> {
            assertThat(failed.phase()).isEqualTo(JobPhase.CALIBRATION);
            assertThat(failed.reason()).contains("within PT1H").contains("1 of 2 tasks");
        });

        jobs.statsReported(taskB(planned));
        assertThat(events(PlanReady.class)).isEmpty();
    }

    @Test
    void aJobWithoutCalibrationIsReadyWithItsStaticPlan() throws Exception {
        JobPlanned planned = TestJobs.plannedExample("job-1");

        jobs().planned(planned);

        assertThat(events(PlanReady.class)).singleElement()
                .satisfies(ready -> assertThat(ready.plan()).isEqualTo(planned.staticPlan()));
    }

    private ScoringJobs jobs() {
        return new ScoringJobs(new JobStateStore(new LocalObjectStore(state)),
                location -> ObjectStores.open(location, () -> {
                    throw new IllegalStateException("the fixture model is local");
                }),
                published::add, DEADLINE);
    }

    private static JobPlanned planned(String jobId) throws Exception {
        return TestJobs.plannedCalibration(jobId, TinyQwen3Omni.model().toString(), 2);
    }

    private static CalibrationStatsReported taskA(JobPlanned planned) {
        return StatsDocuments.task(planned.jobId(), "a", 2, StatsDocuments.audio(1, 8, TASK_A));
    }

    private static CalibrationStatsReported taskB(JobPlanned planned) {
        return StatsDocuments.task(planned.jobId(), "b", 2, StatsDocuments.audio(1, 8, TASK_B));
    }

    private <T extends JobEvent> List<T> events(Class<T> type) {
        return published.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
