package io.reapomni.calibration.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExpertRunsTest {

    @Test
    void unpaddedRunsAreTheSortedRunsThemselves() {
        ExpertRuns runs = ExpertRuns.of(new long[] {2, 0, 3}, 1);

        assertThat(runs.starts()).containsExactly(0, 2, 2);
        assertThat(runs.ends()).containsExactly(2, 2, 5);
        assertThat(runs.paddedStarts()).containsExactly(0, 2, 2);
        assertThat(runs.paddedRows()).containsExactly(2, 0, 3);
        assertThat(runs.sortedSourceOfPaddedRows()).containsExactly(0, 1, 2, 3, 4);
        assertThat(runs.paddedRowOfSorted()).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void paddedRunsRoundEachCountUpAndRepeatTheRunsFirstRow() {
        // expert 0: sorted 0-2, expert 1: none, expert 2: sorted 3-7; multiples of 4
        ExpertRuns runs = ExpertRuns.of(new long[] {3, 0, 5}, 4);

        assertThat(runs.paddedStarts()).containsExactly(0, 4, 4);
        assertThat(runs.paddedRows()).containsExactly(4, 0, 8);
        assertThat(runs.paddedTotal()).isEqualTo(12);
        assertThat(runs.sortedSourceOfPaddedRows()).containsExactly(0, 1, 2, 0, 3, 4, 5, 6, 7, 3, 3, 3);
        assertThat(runs.paddedRowOfSorted()).containsExactly(0, 1, 2, 4, 5, 6, 7, 8);
    }

    @Test
    void everySortedPositionIsReadBackFromARowThatReadIt() {
        ExpertRuns runs = ExpertRuns.of(new long[] {7, 1, 0, 12, 256, 3}, 8);
        long[] sources = runs.sortedSourceOfPaddedRows();
        long[] rows = runs.paddedRowOfSorted();

        for (int position = 0; position < rows.length; position++) {
            assertThat(sources[(int) rows[position]]).as("sorted position %d", position).isEqualTo(position);
        }
    }

    @Test
    void aMultipleBelowOneIsRefused() {
        assertThatThrownBy(() -> ExpertRuns.of(new long[] {1}, 0)).hasMessageContaining("at least 1, not 0");
    }
}
