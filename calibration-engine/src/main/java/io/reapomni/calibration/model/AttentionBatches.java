package io.reapomni.calibration.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A stream's samples grouped for attention, so that one product serves many samples instead of one each: a batch
 * pads its samples to its longest. Right padding needs no mask of its own: a real query row t sees keys up to t only,
 * all of them its own sample's; the padded rows compute values nobody reads. Padding is work thrown away, so a batch
 * takes only samples at least {@link #MIN_FILL} as long as its first, longest one.
 *
 * @param batches longest samples first
 */
record AttentionBatches(List<Batch> batches) {
    /** A sample shorter than this fraction of a batch's length goes to a later batch. */
    static final double MIN_FILL = 0.75;

    AttentionBatches {
        batches = List.copyOf(batches);
    }

    /**
     * @param samples in the batch's order, each padded to {@code length}
     * @param length  its longest sample's length
     */
    record Batch(List<StreamLayout.SampleSpan> samples, int length) {
        Batch {
            samples = List.copyOf(samples);
        }

        int size() {
            return samples.size();
        }

        /** For each of the batch's padded rows, the stream row it is read from; padding repeats a sample's first row. */
        long[] streamRows() {
            long[] rows = new long[samples.size() * length];
            for (int b = 0; b < samples.size(); b++) {
                StreamLayout.SampleSpan sample = samples.get(b);
                for (int t = 0; t < length; t++) {
                    rows[b * length + t] = sample.start() + (t < sample.length() ? t : 0);
                }
            }
            return rows;
        }
    }

    /** Batches of at most {@code maxPaddedTokens} padded rows (a longer sample forms a batch of its own). */
    static AttentionBatches of(StreamLayout layout, long maxPaddedTokens) {
        List<StreamLayout.SampleSpan> longestFirst = layout.samples().stream()
                .sorted(Comparator.comparingInt(StreamLayout.SampleSpan::length).reversed()
                        .thenComparingInt(StreamLayout.SampleSpan::start))
                .toList();
        List<Batch> batches = new ArrayList<>();
        List<StreamLayout.SampleSpan> current = new ArrayList<>();
        int length = 0;
        for (StreamLayout.SampleSpan sample : longestFirst) {
            boolean fits = !current.isEmpty() && (long) (current.size() + 1) * length <= maxPaddedTokens
                    && sample.length() >= MIN_FILL * length;
            if (!fits && !current.isEmpty()) {
                batches.add(new Batch(current, length));
                current = new ArrayList<>();
            }
            if (current.isEmpty()) {
                length = sample.length();
            }
            current.add(sample);
        }
        if (!current.isEmpty()) {
            batches.add(new Batch(current, length));
        }
        return new AttentionBatches(batches);
    }

    /**
     * For each row of the stream, its row in the batches' padded rows laid end to end. Made on demand: a layer needs
     * it once per run (it is kept on the device), the batches every layer.
     */
    long[] paddedPositions() {
        long[] positions = new long[batches.stream().mapToInt(batch -> batch.samples().stream()
                .mapToInt(StreamLayout.SampleSpan::length).sum()).sum()];
        long offset = 0;
        for (Batch batch : batches) {
            for (int b = 0; b < batch.size(); b++) {
                StreamLayout.SampleSpan sample = batch.samples().get(b);
                for (int t = 0; t < sample.length(); t++) {
                    positions[sample.start() + t] = offset + (long) b * batch.length() + t;
                }
            }
            offset += (long) batch.size() * batch.length();
        }
        return positions;
    }
}
