package io.reapomni.calibration.weights;

import ai.djl.ndarray.NDManager;

/**
 * A layer's weights on the compute device, in a manager of their own, and what getting them there took. Closing them
 * gives host blocks that served as CPU weights back to the pool and frees the device's copies: do so once nothing
 * reads the tensors any more.
 */
public final class PlacedWeights implements AutoCloseable {
    private final NDManager manager;
    private final StagedWeights.Placed placed;
    private final StageCost staging;

    private PlacedWeights(NDManager manager, StagedWeights.Placed placed, StageCost staging) {
        this.manager = manager;
        this.placed = placed;
        this.staging = staging;
    }

    /** Places {@code staged} in a new sub-manager of {@code device}, giving the staged blocks back either way. */
    public static PlacedWeights place(StagedWeights staged, NDManager device) {
        NDManager manager = device.newSubManager();
        try (staged) {
            return new PlacedWeights(manager, staged.placeForStreaming(manager), staged.cost());
        } catch (RuntimeException | Error e) {
            manager.close();
            throw e;
        }
    }

    public DeviceTensors tensors() {
        return placed.tensors();
    }

    /** Reading and decoding the weights. */
    public StageCost staging() {
        return staging;
    }

    /** Copying them to the device (nothing moves on the CPU). */
    public double placeSeconds() {
        return placed.seconds();
    }

    @Override
    public void close() {
        try {
            placed.recycle();
        } finally {
            manager.close();
        }
    }
}
