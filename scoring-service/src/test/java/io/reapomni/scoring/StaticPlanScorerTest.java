package io.reapomni.scoring;

import io.reapomni.common.events.JobPlanned;
import io.reapomni.common.events.PlanReady;
import io.reapomni.service.JobRejectedException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StaticPlanScorerTest {

    private final StaticPlanScorer scorer = new StaticPlanScorer();

    @Test
    void aJobWithoutCalibrationIsReadyWithItsStaticPlan() throws Exception {
        JobPlanned planned = FixturePlans.planned("job-1", 0);

        PlanReady ready = scorer.finalPlan(planned);

        assertThat(ready.jobId()).isEqualTo("job-1");
        assertThat(ready.modelPath()).isEqualTo(planned.request().modelPath());
        assertThat(ready.outputPath()).isEqualTo("s3://models/pruned");
        assertThat(ready.plan()).isEqualTo(planned.staticPlan());
    }

    @Test
    void aJobWaitingForCalibrationIsRejectedRatherThanLeftWaiting() throws Exception {
        JobPlanned planned = FixturePlans.planned("job-1", 3);

        assertThatThrownBy(() -> scorer.finalPlan(planned))
                .isInstanceOf(JobRejectedException.class)
                .hasMessageContaining("3 calibration tasks")
                .hasMessageContaining("not available in this version yet");
    }
}
