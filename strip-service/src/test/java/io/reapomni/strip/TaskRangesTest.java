package io.reapomni.strip;

import io.reapomni.common.job.SampleRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskRangesTest {

    @Test
    void samplesAreCutIntoEvenPartsLargerOnesFirst() {
        assertThat(TaskRanges.split(10, 3)).containsExactly(
                new SampleRange(0, 4), new SampleRange(4, 3), new SampleRange(7, 3));
        assertThat(TaskRanges.split(32, 2)).containsExactly(new SampleRange(0, 16), new SampleRange(16, 16));
        assertThat(TaskRanges.split(3, 1)).containsExactly(new SampleRange(0, 3));
        assertThat(TaskRanges.split(2, 4)).as("fewer samples than parts: no empty range")
                .containsExactly(new SampleRange(0, 1), new SampleRange(1, 1));
        assertThat(TaskRanges.split(0, 4)).isEmpty();
    }

    @Test
    void everySampleIsInExactlyOneRangeAndSizesDifferByAtMostOne() {
        for (int samples = 0; samples <= 70; samples++) {
            for (int parts = 1; parts <= 20; parts++) {
                List<SampleRange> ranges = TaskRanges.split(samples, parts);
                List<Integer> covered = new ArrayList<>();
                ranges.forEach(range -> IntStream.range(range.first(), range.end()).forEach(covered::add));

                assertThat(covered).as("%d samples in %d parts", samples, parts)
                        .containsExactlyElementsOf(IntStream.range(0, samples).boxed().toList());
                assertThat(ranges).hasSize(Math.min(samples, parts));
                int smallest = ranges.stream().mapToInt(SampleRange::count).min().orElse(0);
                int largest = ranges.stream().mapToInt(SampleRange::count).max().orElse(0);
                assertThat(largest - smallest).isLessThanOrEqualTo(1);
            }
        }
    }

    @Test
    void fewerThanOnePartIsRefused() {
        assertThatThrownBy(() -> TaskRanges.split(10, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
