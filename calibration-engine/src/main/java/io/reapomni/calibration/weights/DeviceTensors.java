package io.reapomni.calibration.weights;

import ai.djl.ndarray.NDArray;

import java.util.Map;
import java.util.Optional;

/**
 * Staged tensor groups on their device, by group key; each is a view into a few large device blocks that the
 * manager they were placed on owns, so that closing it frees them all.
 */
public final class DeviceTensors {
    private final Map<String, NDArray> byKey;

    DeviceTensors(Map<String, NDArray> byKey) {
        this.byKey = Map.copyOf(byKey);
    }

    /** The group staged under {@code key}; asking for one that was not staged is a programming error. */
    public NDArray get(String key) {
        NDArray tensor = byKey.get(key);
        if (tensor == null) {
            throw new IllegalStateException("no tensor group " + key + " was staged");
        }
        return tensor;
    }

    public Optional<NDArray> find(String key) {
        return Optional.ofNullable(byKey.get(key));
    }
}
