package io.reapomni.calibration.vision;

/**
 * The row and column of every patch of a grid, in the order the processor emits them: frame group, then merge block
 * (row-major), then row-major within the block. Every frame group repeats the same layout.
 */
public record PatchLayout(int[] rows, int[] columns) {
    public PatchLayout {
        rows = rows.clone();
        columns = columns.clone();
    }

    public static PatchLayout of(VisionGrid grid, int mergeSize) {
        grid.requireMergeable(mergeSize);
        int perFrame = grid.patchesPerFrame();
        int blocksPerRow = grid.width() / mergeSize;
        int[] rows = new int[grid.patches()];
        int[] columns = new int[grid.patches()];
        for (int patch = 0; patch < rows.length; patch++) {
            int within = patch % perFrame;
            int block = within / (mergeSize * mergeSize);
            int inBlock = within % (mergeSize * mergeSize);
            rows[patch] = (block / blocksPerRow) * mergeSize + inBlock / mergeSize;
            columns[patch] = (block % blocksPerRow) * mergeSize + inBlock % mergeSize;
        }
        return new PatchLayout(rows, columns);
    }

    public int patches() {
        return rows.length;
    }

    public int row(int patch) {
        return rows[patch];
    }

    public int column(int patch) {
        return columns[patch];
    }

    @Override
    public int[] rows() {
        return rows.clone();
    }

    @Override
    public int[] columns() {
        return columns.clone();
    }
}
