package io.reapomni.calibration.model;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class MoeDispatchTest {
    private static final MoeDispatch GPU = MoeDispatch.forShape(2048, 8, DataType.FLOAT16, Device.gpu());

    @Test
    void aCalibrationChunkOnTheGpuIsPaddedAndBatched() {
        long[] counts = new long[128];
        Arrays.setAll(counts, expert -> 1800 + 7L * expert);

        ExpertRuns runs = GPU.runs(counts);

        assertThat(Arrays.stream(runs.paddedRows()).boxed().toList()).allMatch(rows -> rows % 256 == 0);
        assertThat(runs.buckets()).hasSizeLessThan(32).allMatch(bucket -> bucket.experts().length <= 16);
    }

    @Test
    void aGenerationStepIsNeitherPaddedNorBatched() {
        // 64 samples, one new token each, k = 8: about four rows an expert
        long[] counts = new long[128];
        Arrays.setAll(counts, expert -> expert % 3 + 3);

        ExpertRuns runs = GPU.runs(counts);

        assertThat(runs.paddedRows()).containsExactly(counts);
        assertThat(runs.buckets()).allMatch(bucket -> bucket.experts().length == 1);
    }

    @Test
    void theCpuNeverPadsNorGathersWeights() {
        MoeDispatch cpu = MoeDispatch.forShape(2048, 8, DataType.FLOAT32, Device.cpu());
        long[] counts = new long[128];
        Arrays.fill(counts, 2048);

        ExpertRuns runs = cpu.runs(counts);

        assertThat(runs.paddedRows()).containsExactly(counts);
        assertThat(runs.buckets()).hasSize(128).allMatch(bucket -> bucket.experts().length == 1);
    }
}
