package io.reapomni.calibration.weights;

import ai.djl.ndarray.types.DataType;

import java.util.List;
import java.util.Objects;

/**
 * Stored tensors that the forward pass wants side by side on the device, in one dtype: they are concatenated along
 * their first axis, so that an expert's gate and up projections become one [2 × intermediate, hidden] matrix and one
 * product. A single tensor is a group of one.
 *
 * @param key   what the group is found by once it is on the device
 * @param names the stored tensors, in the order they are concatenated; all share their trailing dimensions
 * @param type  the dtype on the device
 */
public record TensorGroup(String key, List<String> names, DataType type) {
    public TensorGroup {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        names = List.copyOf(names);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("tensor group " + key + " names no tensor");
        }
        if (type != DataType.FLOAT16 && type != DataType.FLOAT32) {
            throw new IllegalArgumentException("weights are staged as float16 or float32, not " + type);
        }
    }

    /** One tensor, found by its own name. */
    public static TensorGroup of(String name, DataType type) {
        return new TensorGroup(name, List.of(name), type);
    }
}
