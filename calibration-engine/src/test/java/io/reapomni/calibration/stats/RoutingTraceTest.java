package io.reapomni.calibration.stats;

import io.reapomni.common.calibration.ExpertLayerStats;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RoutingTraceTest {

    @Test
    void expertSumsAreBuiltFromRoutingInFloat64() {
        RoutingTrace trace = new RoutingTrace(2, 3, 2, new float[6], new int[] {0, 2, 2, 1},
                new float[] {0.75f, 0.25f, 0.5f, 0.5f}, new float[] {2f, 4f, 8f, 1f});
        ExpertLayerStats stats = trace.expertStats(7);
        assertThat(stats.saliencySum()).containsExactly(1.5, 0.5, 5.0);
        assertThat(stats.routedCount()).containsExactly(1L, 1L, 2L);
        assertThat(stats.gateWeightSum()).containsExactly(0.75, 0.5, 0.75);
    }
}
