package io.reapomni.calibration.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Where each expert's assignments lie once sorted by expert, and the padded runs its product reads, grouped so that
 * experts of equal padded length run as one batched product. On a GPU each expert's row count is rounded up to a
 * multiple, so that a layer's products come in a few shapes that cuBLAS has already planned (planning a new shape
 * costs the host about two milliseconds, more than the product itself) and experts share lengths; the padding rows
 * repeat the run's first row and their outputs are never read. Padded runs lie in bucket order. These few numbers
 * per expert are all the host sends: the device makes the row-by-row indices from them
 * ({@code padded_layout} in the TorchScript kernels).
 *
 * @param starts       each expert's first sorted position
 * @param ends         one past its last
 * @param paddedStarts each expert's first row in the padded layout
 * @param paddedRows   its rows there: its count rounded up to the multiple (0 for an expert nobody chose)
 * @param buckets      the experts with rows, in padded order
 */
record ExpertRuns(long[] starts, long[] ends, long[] paddedStarts, long[] paddedRows, List<Bucket> buckets) {

    ExpertRuns {
        buckets = List.copyOf(buckets);
    }

    /**
     * Experts whose padded runs have one length and lie one after another from {@code firstRow}: one batched product.
     *
     * @param experts ascending expert ids
     */
    record Bucket(int[] experts, long firstRow, long rowsPerExpert) {
        long rows() {
            return experts.length * rowsPerExpert;
        }
    }

    /**
     * @param rowMultiple      each count is rounded up to a multiple of this
     * @param maxBucketExperts experts in one bucket at most: their weights are gathered for its product
     * @param maxBucketRows    padded rows in one bucket at most, unless one expert alone has more
     */
    static ExpertRuns of(long[] counts, int rowMultiple, int maxBucketExperts, long maxBucketRows) {
        if (rowMultiple < 1 || maxBucketExperts < 1 || maxBucketRows < 1) {
            throw new IllegalArgumentException("padding to multiples of " + rowMultiple + " in buckets of "
                    + maxBucketExperts + " experts and " + maxBucketRows + " rows: each must be at least 1");
        }
        int experts = counts.length;
        long[] starts = new long[experts];
        long[] ends = new long[experts];
        long[] paddedRows = new long[experts];
        long offset = 0;
        for (int expert = 0; expert < experts; expert++) {
            starts[expert] = offset;
            offset += counts[expert];
            ends[expert] = offset;
            paddedRows[expert] = (counts[expert] + rowMultiple - 1) / rowMultiple * rowMultiple;
        }
        Integer[] byLength = new Integer[experts];
        Arrays.setAll(byLength, expert -> expert);
        Arrays.sort(byLength, Comparator.<Integer>comparingLong(expert -> paddedRows[expert])
                .thenComparingInt(expert -> expert));
        long[] paddedStarts = new long[experts];
        List<Bucket> buckets = new ArrayList<>();
        List<Integer> members = new ArrayList<>();
        long paddedOffset = 0;
        long bucketStart = 0;
        for (int expert : byLength) {
            if (paddedRows[expert] == 0) {
                continue;
            }
            boolean joins = !members.isEmpty() && paddedRows[members.get(0)] == paddedRows[expert]
                    && members.size() < maxBucketExperts && (members.size() + 1) * paddedRows[expert] <= maxBucketRows;
            if (!joins && !members.isEmpty()) {
                buckets.add(bucket(members, bucketStart, paddedRows));
                members.clear();
            }
            if (members.isEmpty()) {
                bucketStart = paddedOffset;
            }
            members.add(expert);
            paddedStarts[expert] = paddedOffset;
            paddedOffset += paddedRows[expert];
        }
        if (!members.isEmpty()) {
            buckets.add(bucket(members, bucketStart, paddedRows));
        }
        return new ExpertRuns(starts, ends, paddedStarts, paddedRows, buckets);
    }

    private static Bucket bucket(List<Integer> members, long firstRow, long[] paddedRows) {
        return new Bucket(members.stream().mapToInt(Integer::intValue).toArray(), firstRow,
                paddedRows[members.get(0)]);
    }

    long paddedTotal() {
        return Arrays.stream(paddedRows).sum();
    }

    /** The experts with rows, in padded order: the buckets' experts one after another. */
    long[] paddedOrder() {
        return buckets.stream().flatMapToInt(bucket -> IntStream.of(bucket.experts())).asLongStream().toArray();
    }
}
