package io.reapomni.calibration.model;

/**
 * Where each expert's assignments lie, once sorted by expert, and the padded runs its product reads: on a GPU each
 * expert's row count is rounded up to a multiple, so that the products of a layer come in a few shapes that cuBLAS
 * has already planned (planning a new shape costs the host about two milliseconds, more than the product itself);
 * the padding rows repeat the run's first row and their outputs are never read.
 *
 * @param starts       each expert's first sorted position
 * @param ends         one past its last
 * @param paddedStarts each expert's first row in the padded layout
 * @param paddedRows   its rows there: its count rounded up to the multiple (0 for an expert nobody chose)
 */
record ExpertRuns(long[] starts, long[] ends, long[] paddedStarts, long[] paddedRows) {

    static ExpertRuns of(long[] counts, int rowMultiple) {
        if (rowMultiple < 1) {
            throw new IllegalArgumentException("rows are padded to a multiple of at least 1, not " + rowMultiple);
        }
        int experts = counts.length;
        long[] starts = new long[experts];
        long[] ends = new long[experts];
        long[] paddedStarts = new long[experts];
        long[] paddedRows = new long[experts];
        long offset = 0;
        long paddedOffset = 0;
        for (int expert = 0; expert < experts; expert++) {
            starts[expert] = offset;
            offset += counts[expert];
            ends[expert] = offset;
            paddedStarts[expert] = paddedOffset;
            paddedRows[expert] = (counts[expert] + rowMultiple - 1) / rowMultiple * rowMultiple;
            paddedOffset += paddedRows[expert];
        }
        return new ExpertRuns(starts, ends, paddedStarts, paddedRows);
    }

    long paddedTotal() {
        int last = paddedStarts.length - 1;
        return last < 0 ? 0 : paddedStarts[last] + paddedRows[last];
    }

    /** For each padded row, the sorted position it reads: its own, or for padding its run's first. */
    long[] sortedSourceOfPaddedRows() {
        long[] sources = new long[Math.toIntExact(paddedTotal())];
        for (int expert = 0; expert < starts.length; expert++) {
            long count = ends[expert] - starts[expert];
            for (long row = 0; row < paddedRows[expert]; row++) {
                sources[Math.toIntExact(paddedStarts[expert] + row)] = starts[expert] + (row < count ? row : 0);
            }
        }
        return sources;
    }

    /** For each sorted position, the padded row holding its output. */
    long[] paddedRowOfSorted() {
        long[] rows = new long[Math.toIntExact(ends.length == 0 ? 0 : ends[ends.length - 1])];
        for (int expert = 0; expert < starts.length; expert++) {
            for (long position = starts[expert]; position < ends[expert]; position++) {
                rows[Math.toIntExact(position)] = paddedStarts[expert] + position - starts[expert];
            }
        }
        return rows;
    }
}
