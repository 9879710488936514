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
    void samplesAreCutIntoFullTasksAndOneWithTheRest() {
        assertThat(TaskRanges.split(37, 16)).containsExactly(
                new SampleRange(0, 16), new SampleRange(16, 16), new SampleRange(32, 5));
        assertThat(TaskRanges.split(32, 16)).containsExactly(new SampleRange(0, 16), new SampleRange(16, 16));
        assertThat(TaskRanges.split(3, 16)).containsExactly(new SampleRange(0, 3));
        assertThat(TaskRanges.split(0, 16)).isEmpty();
    }

    @Test
    void everySampleIsInExactlyOneRangeForAnyCountAndTaskSize() {
        for (int samples = 0; samples <= 70; samples++) {
            for (int taskSamples = 1; taskSamples <= 20; taskSamples++) {
                List<SampleRange> ranges = TaskRanges.split(samples, taskSamples);
                List<Integer> covered = new ArrayList<>();
                ranges.forEach(range -> IntStream.range(range.first(), range.end()).forEach(covered::add));

                assertThat(covered).as("%d samples in tasks of %d", samples, taskSamples)
                        .containsExactlyElementsOf(IntStream.range(0, samples).boxed().toList());
                int size = taskSamples;
                assertThat(ranges).allSatisfy(range -> assertThat(range.count()).isLessThanOrEqualTo(size));
                assertThat(ranges).hasSize((samples + taskSamples - 1) / taskSamples);
            }
        }
    }

    @Test
    void aTaskSizeBelowOneIsRefused() {
        assertThatThrownBy(() -> TaskRanges.split(10, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
