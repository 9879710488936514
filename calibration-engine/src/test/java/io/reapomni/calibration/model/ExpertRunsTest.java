package io.reapomni.calibration.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.reapomni.calibration.TestDevice;
import io.reapomni.calibration.torch.TorchScriptKernels;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExpertRunsTest {

    @Test
    void unpaddedRunsAreTheSortedRunsThemselves() {
        ExpertRuns runs = ExpertRuns.of(new long[] {2, 0, 3}, 1, 16, 1000);

        assertThat(runs.starts()).containsExactly(0, 2, 2);
        assertThat(runs.ends()).containsExactly(2, 2, 5);
        assertThat(runs.paddedStarts()).containsExactly(0, 0, 2);
        assertThat(runs.paddedRows()).containsExactly(2, 0, 3);
        assertThat(runs.paddedOrder()).containsExactly(0, 2);
        assertThat(DeviceLayout.of(runs).sources()).containsExactly(0, 1, 2, 3, 4);
        assertThat(DeviceLayout.of(runs).rowOfSorted()).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void paddedRunsRoundEachCountUpAndRepeatTheRunsFirstRow() {
        // expert 0: sorted 0-2, expert 1: none, expert 2: sorted 3-7; multiples of 4
        ExpertRuns runs = ExpertRuns.of(new long[] {3, 0, 5}, 4, 16, 1000);

        assertThat(runs.paddedStarts()).containsExactly(0, 0, 4);
        assertThat(runs.paddedRows()).containsExactly(4, 0, 8);
        assertThat(runs.paddedTotal()).isEqualTo(12);
        assertThat(DeviceLayout.of(runs).sources()).containsExactly(0, 1, 2, 0, 3, 4, 5, 6, 7, 3, 3, 3);
        assertThat(DeviceLayout.of(runs).rowOfSorted()).containsExactly(0, 1, 2, 4, 5, 6, 7, 8);
    }

    @Test
    void expertsOfOnePaddedLengthShareABucketUpToItsLimitsShortestFirst() {
        // padded: e0 8, e1 4, e2 none, e3 8, e4 4, e5 8
        ExpertRuns runs = ExpertRuns.of(new long[] {5, 3, 0, 7, 2, 8}, 4, 2, 1000);

        assertThat(runs.buckets()).extracting(bucket -> List.of(Arrays.toString(bucket.experts()), bucket.firstRow(),
                bucket.rowsPerExpert())).containsExactly(List.of("[1, 4]", 0L, 4L), List.of("[0, 3]", 8L, 8L),
                List.of("[5]", 24L, 8L));
        assertThat(runs.paddedStarts()).containsExactly(8, 0, 0, 16, 4, 24);
        assertThat(runs.paddedOrder()).as("each bucket's experts in turn").containsExactly(1, 4, 0, 3, 5);

        ExpertRuns fewRows = ExpertRuns.of(new long[] {5, 3, 0, 7, 2, 8}, 4, 16, 16);
        assertThat(fewRows.buckets()).extracting(bucket -> Arrays.toString(bucket.experts()))
                .containsExactly("[1, 4]", "[0, 3]", "[5]");
        ExpertRuns oneLongExpert = ExpertRuns.of(new long[] {40}, 1, 16, 16);
        assertThat(oneLongExpert.buckets()).singleElement().extracting(ExpertRuns.Bucket::rows).isEqualTo(40L);
    }

    @Test
    void everySortedPositionIsReadBackFromARowThatReadIt() {
        ExpertRuns runs = ExpertRuns.of(new long[] {7, 1, 0, 12, 256, 3}, 8, 2, 1000);
        DeviceLayout layout = DeviceLayout.of(runs);
        long[] sources = layout.sources();
        long[] rows = layout.rowOfSorted();

        for (int position = 0; position < rows.length; position++) {
            assertThat(sources[(int) rows[position]]).as("sorted position %d", position).isEqualTo(position);
        }
    }

    @Test
    void aMultipleBelowOneIsRefused() {
        assertThatThrownBy(() -> ExpertRuns.of(new long[] {1}, 0, 16, 1000)).hasMessageContaining("must be at least 1");
    }

    /**
     * The row-by-row indices the device makes from the runs (the kernels' {@code padded_layout}), for the sorted
     * assignments the runs were counted from.
     *
     * @param sources     for each padded row, the sorted position it reads
     * @param rowOfSorted for each sorted position, the padded row holding its output
     */
    private record DeviceLayout(long[] sources, long[] rowOfSorted) {
        static DeviceLayout of(ExpertRuns runs) {
            long[] sortedExperts = new long[Math.toIntExact(runs.ends()[runs.ends().length - 1])];
            for (int expert = 0; expert < runs.starts().length; expert++) {
                Arrays.fill(sortedExperts, (int) runs.starts()[expert], (int) runs.ends()[expert], expert);
            }
            try (NDManager manager = TestDevice.newManager()) {
                NDList layout = TorchScriptKernels.get().call("padded_layout")
                        .tensor(OwnedArrays.longs(manager, runs.starts()))
                        .tensor(OwnedArrays.longs(manager, runs.ends()))
                        .tensor(OwnedArrays.longs(manager, runs.paddedStarts()))
                        .tensor(OwnedArrays.longs(manager, runs.paddedRows()))
                        .tensor(OwnedArrays.longs(manager, runs.paddedOrder()))
                        .tensor(OwnedArrays.longs(manager, sortedExperts)).integer(runs.paddedTotal())
                        .returningTensors(manager);
                return new DeviceLayout(layout.get(0).toLongArray(), layout.get(1).toLongArray());
            }
        }
    }
}
