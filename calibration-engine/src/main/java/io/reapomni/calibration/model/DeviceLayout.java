package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A batch's {@link StreamLayout} with the index arrays that layers derive from it, on the compute device. Each array
 * is made and sent the first time a layer asks for it and reused by every later layer: DJL sends host values to a GPU
 * synchronously, so every transfer waits for all the work queued before it, and a layer sending its own indices would
 * leave the device idle each time while the host queued the work that follows.
 */
public final class DeviceLayout {
    private final StreamLayout layout;
    private final NDManager owner;
    private final Map<Object, NDArray> indices = new HashMap<>();

    /** @param owner the manager the index arrays live in, on the compute device, as long as the layout is used */
    public DeviceLayout(StreamLayout layout, NDManager owner) {
        this.layout = layout;
        this.owner = owner;
    }

    public StreamLayout layout() {
        return layout;
    }

    /**
     * The index array that {@code key} names, made by {@code values} and sent to the device the first time.
     *
     * @param key a value (a record) that names what the indices are: equal keys, equal indices
     */
    NDArray indices(Object key, Supplier<long[]> values) {
        return indices.computeIfAbsent(key, absent -> OwnedArrays.longs(owner, values.get()));
    }
}
