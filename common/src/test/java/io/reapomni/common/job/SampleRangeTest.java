package io.reapomni.common.job;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SampleRangeTest {

    @Test
    void aRangeHoldsItsFirstSampleAndEndsBeforeFirstPlusCount() {
        SampleRange range = new SampleRange(16, 4);

        assertThat(range.end()).isEqualTo(20);
        assertThat(range.contains(15)).isFalse();
        assertThat(range.contains(16)).isTrue();
        assertThat(range.contains(19)).isTrue();
        assertThat(range.contains(20)).isFalse();
    }

    @Test
    void emptyNegativeOrOverflowingRangesAreRefused() {
        assertThatThrownBy(() -> new SampleRange(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SampleRange(-1, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SampleRange(Integer.MAX_VALUE, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
