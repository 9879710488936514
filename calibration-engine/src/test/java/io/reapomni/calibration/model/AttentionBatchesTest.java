package io.reapomni.calibration.model;

import io.reapomni.common.job.Modality;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AttentionBatchesTest {

    private static StreamLayout layout(int... lengths) {
        List<String> ids = java.util.stream.IntStream.range(0, lengths.length).mapToObj(i -> "s" + i).toList();
        return StreamLayout.of(ids, ids.stream().map(id -> Modality.AUDIO).toList(), lengths);
    }

    private static List<List<String>> ids(AttentionBatches batches) {
        return batches.batches().stream()
                .map(batch -> batch.samples().stream().map(StreamLayout.SampleSpan::id).toList())
                .toList();
    }

    @Test
    void samplesOfSimilarLengthShareABatchLongestFirstAndAShortOneWaitsForItsOwn() {
        AttentionBatches batches = AttentionBatches.of(layout(8, 10, 3, 9), 1000);

        assertThat(ids(batches)).containsExactly(List.of("s1", "s3", "s0"), List.of("s2"));
        assertThat(batches.batches()).extracting(AttentionBatches.Batch::length).containsExactly(10, 3);
    }

    @Test
    void aBatchHoldsAtMostTheGivenPaddedTokensButALongerSampleStillGetsOne() {
        AttentionBatches batches = AttentionBatches.of(layout(4, 4, 4, 4, 4, 9), 8);

        assertThat(ids(batches)).containsExactly(List.of("s5"), List.of("s0", "s1"), List.of("s2", "s3"),
                List.of("s4"));
    }

    @Test
    void paddedRowsRepeatTheSampleStartAndEveryStreamRowMapsToItsPaddedRow() {
        // stream: s0 rows 0-2, s1 rows 3-6; one batch [s1, s0] padded to 4
        AttentionBatches batches = AttentionBatches.of(layout(3, 4), 100);

        assertThat(batches.batches().get(0).streamRows()).containsExactly(3, 4, 5, 6, 0, 1, 2, 0);
        assertThat(batches.paddedPositions()).containsExactly(4, 5, 6, 0, 1, 2, 3);
    }

    @Test
    void everyStreamRowIsReadBackFromTheRowItWasGatheredInto() {
        StreamLayout layout = layout(5, 17, 16, 2, 13, 13, 1, 12);
        AttentionBatches batches = AttentionBatches.of(layout, 40);
        long[] gathered = batches.batches().stream().flatMapToLong(batch -> java.util.Arrays.stream(batch.streamRows()))
                .toArray();

        for (int row = 0; row < layout.tokens(); row++) {
            assertThat(gathered[(int) batches.paddedPositions()[row]]).as("stream row %d", row).isEqualTo(row);
        }
    }
}
