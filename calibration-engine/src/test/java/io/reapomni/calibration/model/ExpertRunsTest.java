package io.reapomni.calibration.model;

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
        assertThat(runs.sortedSourceOfPaddedRows()).containsExactly(0, 1, 2, 3, 4);
        assertThat(runs.paddedRowOfSorted()).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void paddedRunsRoundEachCountUpAndRepeatTheRunsFirstRow() {
        // expert 0: sorted 0-2, expert 1: none, expert 2: sorted 3-7; multiples of 4
        ExpertRuns runs = ExpertRuns.of(new long[] {3, 0, 5}, 4, 16, 1000);

        assertThat(runs.paddedStarts()).containsExactly(0, 0, 4);
        assertThat(runs.paddedRows()).containsExactly(4, 0, 8);
        assertThat(runs.paddedTotal()).isEqualTo(12);
        assertThat(runs.sortedSourceOfPaddedRows()).containsExactly(0, 1, 2, 0, 3, 4, 5, 6, 7, 3, 3, 3);
        assertThat(runs.paddedRowOfSorted()).containsExactly(0, 1, 2, 4, 5, 6, 7, 8);
    }

    @Test
    void expertsOfOnePaddedLengthShareABucketUpToItsLimitsShortestFirst() {
        // padded: e0 8, e1 4, e2 none, e3 8, e4 4, e5 8
        ExpertRuns runs = ExpertRuns.of(new long[] {5, 3, 0, 7, 2, 8}, 4, 2, 1000);

        assertThat(runs.buckets()).extracting(bucket -> List.of(Arrays.toString(bucket.experts()), bucket.firstRow(),
                bucket.rowsPerExpert())).containsExactly(List.of("[1, 4]", 0L, 4L), List.of("[0, 3]", 8L, 8L),
                List.of("[5]", 24L, 8L));
        assertThat(runs.paddedStarts()).containsExactly(8, 0, 0, 16, 4, 24);

        ExpertRuns fewRows = ExpertRuns.of(new long[] {5, 3, 0, 7, 2, 8}, 4, 16, 16);
        assertThat(fewRows.buckets()).extracting(bucket -> Arrays.toString(bucket.experts()))
                .containsExactly("[1, 4]", "[0, 3]", "[5]");
        ExpertRuns oneLongExpert = ExpertRuns.of(new long[] {40}, 1, 16, 16);
        assertThat(oneLongExpert.buckets()).singleElement().extracting(ExpertRuns.Bucket::rows).isEqualTo(40L);
    }

    @Test
    void everySortedPositionIsReadBackFromARowThatReadIt() {
        ExpertRuns runs = ExpertRuns.of(new long[] {7, 1, 0, 12, 256, 3}, 8, 2, 1000);
        long[] sources = runs.sortedSourceOfPaddedRows();
        long[] rows = runs.paddedRowOfSorted();

        for (int position = 0; position < rows.length; position++) {
            assertThat(sources[(int) rows[position]]).as("sorted position %d", position).isEqualTo(position);
        }
    }

    @Test
    void aMultipleBelowOneIsRefused() {
        assertThatThrownBy(() -> ExpertRuns.of(new long[] {1}, 0, 16, 1000)).hasMessageContaining("must be at least 1");
    }
}
