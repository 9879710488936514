package io.reapomni.calibration.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.Optional;

/**
 * Consecutive samples run through the layers as one residual stream, with what every layer reuses: the stream's
 * rotary tables and deepstack features. A run whose samples fit the device keeps its one batch there; a larger run
 * keeps its batches in host memory between layers and brings each to the device in turn, so that the weights of a
 * layer are read once for any number of tokens while the device holds one batch.
 */
public final class StreamBatch implements AutoCloseable {
    private final int index;
    private final StreamLayout layout;
    private final NDManager home;
    private final Device device;
    private final RotaryEmbedding rope;
    private final Optional<Deepstack> deepstack;
    private final DeviceLayout residentLayout;
    private NDArray hidden;

    StreamBatch(int index, StreamLayout layout, NDManager home, Device device, NDArray hidden, RotaryEmbedding rope,
                Optional<Deepstack> deepstack) {
        this.index = index;
        this.layout = layout;
        this.home = home;
        this.device = device;
        this.hidden = hidden;
        this.rope = rope;
        this.deepstack = deepstack;
        this.residentLayout = new DeviceLayout(layout, home);
    }

    /** The batch's place among the run's batches, 0 first. */
    public int index() {
        return index;
    }

    public StreamLayout layout() {
        return layout;
    }

    /** Whether the batch stays on the compute device between layers. */
    public boolean resident() {
        return home.getDevice().equals(device);
    }

    /**
     * {@code onDevice} as it is now, owned by {@code owner}, kept where this batch lives between layers. A resident
     * batch keeps a second handle on the same storage rather than a copy: nothing changes the stream in place, and
     * the storage outlives whichever handle is closed first.
     */
    public NDArray keep(NDArray onDevice, NDManager owner) {
        NDArray kept = resident() ? onDevice.reshape(onDevice.getShape()) : onDevice.toDevice(home.getDevice(), true);
        kept.attach(owner);
        return kept;
    }

    /** An array made by {@link #keep}, on the compute device; a transferred copy belongs to {@code scratch}. */
    public NDArray onDevice(NDArray kept, NDManager scratch) {
        if (kept.getDevice().equals(device)) {
            return kept;
        }
        NDArray copy = kept.toDevice(device, false);
        copy.attach(scratch);
        return copy;
    }

    /** The stream entering the next layer, where the batch keeps it. */
    NDArray hidden() {
        return hidden;
    }

    /** The stream entering the next layer, on the device and owned by {@code scratch}: it is consumed there. */
    NDArray takeHidden(NDManager scratch) {
        if (resident()) {
            hidden.attach(scratch);
            return hidden;
        }
        NDArray onDevice = onDevice(hidden, scratch);
        hidden.close();
        return onDevice;
    }

    /** The stream leaving a layer becomes the batch's state. */
    void advance(NDArray next) {
        if (resident()) {
            next.attach(home);
            hidden = next;
        } else {
            hidden = next.toDevice(home.getDevice(), true);
            hidden.attach(home);
        }
    }

    /**
     * The layout with its device indices: a resident batch keeps them for every layer, a batch in host memory makes
     * them again on {@code scratch}.
     */
    DeviceLayout layoutOn(NDManager scratch) {
        return resident() ? residentLayout : new DeviceLayout(layout, scratch);
    }

    RotaryEmbedding ropeOn(NDManager scratch) {
        return resident() ? rope : new RotaryEmbedding(onDevice(rope.cos(), scratch), onDevice(rope.sin(), scratch));
    }

    Optional<Deepstack> deepstackOn(NDManager scratch, int layer) {
        return deepstack.filter(features -> layer < features.features().size())
                .map(features -> resident() ? features : features.onDevice(scratch, this));
    }

    @Override
    public void close() {
        home.close();
    }
}
