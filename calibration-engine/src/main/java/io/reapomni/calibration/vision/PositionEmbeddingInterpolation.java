package io.reapomni.calibration.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.reapomni.calibration.model.OwnedArrays;

/**
 * Resamples the square table of learned position embeddings to a video's patch grid by bilinear interpolation with
 * aligned corners (grid edges map to table edges), as transformers does: each patch mixes the four table entries
 * around its scaled position. Weights are computed in float32 like transformers', so that they round alike.
 */
public final class PositionEmbeddingInterpolation {
    private static final int TAPS = 4;

    private PositionEmbeddingInterpolation() {
    }

    /**
     * [patches, hidden] embeddings for the patches of {@code layout}, created on {@code manager}; {@code table} is
     * [side², hidden].
     */
    public static NDArray embed(NDManager manager, NDArray table, int side, VisionGrid grid, PatchLayout layout) {
        int patches = layout.patches();
        long[] indices = new long[patches * TAPS];
        float[] weights = new float[patches * TAPS];
        for (int patch = 0; patch < patches; patch++) {
            Taps rowTaps = Taps.of(layout.row(patch), grid.height(), side);
            Taps columnTaps = Taps.of(layout.column(patch), grid.width(), side);
            for (int r = 0; r < 2; r++) {
                for (int c = 0; c < 2; c++) {
                    int tap = patch * TAPS + r * 2 + c;
                    indices[tap] = (long) rowTaps.index(r) * side + columnTaps.index(c);
                    weights[tap] = rowTaps.weight(r) * columnTaps.weight(c);
                }
            }
        }
        long hidden = table.getShape().get(1);
        NDArray gathered = table.get(OwnedArrays.longs(manager, indices));
        // the gather lands on the table's manager, which lives as long as the tower: move it to this sample's
        gathered.attach(manager);
        return gathered.reshape(patches, TAPS, hidden).mul(OwnedArrays.floats(manager, weights, new Shape(patches, TAPS, 1))).sum(new int[] {1});
    }

    /** The two table entries on one axis around a grid position, and their weights. */
    private record Taps(int lower, int upper, float lowerWeight, float upperWeight) {
        static Taps of(int position, int gridSize, int side) {
            float source = (float) position * (float) (side - 1) / (float) Math.max(gridSize - 1, 1);
            float floor = (float) Math.floor(source);
            float fraction = source - floor;
            int lower = Math.min((int) floor, side - 1);
            int upper = Math.min((int) floor + 1, side - 1);
            return new Taps(lower, upper, Math.max(1 - fraction, 0), Math.max(1 - Math.abs(fraction - 1), 0));
        }

        int index(int which) {
            return which == 0 ? lower : upper;
        }

        float weight(int which) {
            return which == 0 ? lowerWeight : upperWeight;
        }
    }
}
