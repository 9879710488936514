package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * One sample's keys and values at one decoder layer, [T, kvHeads, headDim] each in the compute dtype, rotated keys:
 * what greedy generation attends to instead of running the whole sequence again for every new token. Its arrays
 * belong to the manager it was made for, which outlives the layers' scratch scopes; {@link #append} keeps the grown
 * arrays there and frees the old ones.
 */
public final class KeyValueCache implements AutoCloseable {
    private final NDManager owner;
    private NDArray keys;
    private NDArray values;

    KeyValueCache(NDManager owner, NDArray keys, NDArray values) {
        if (!keys.getShape().equals(values.getShape())) {
            throw new IllegalArgumentException("keys " + keys.getShape() + " and values " + values.getShape()
                    + " of different shapes");
        }
        this.owner = owner;
        this.keys = keys;
        this.values = values;
        keys.attach(owner);
        values.attach(owner);
    }

    /** Positions cached so far. */
    public long length() {
        return keys.getShape().get(0);
    }

    NDArray keys() {
        return keys;
    }

    NDArray values() {
        return values;
    }

    /** Appends the keys and values of new positions, [n, kvHeads, headDim] each. */
    void append(NDArray newKeys, NDArray newValues) {
        NDArray grownKeys = keys.concat(newKeys, 0);
        NDArray grownValues = values.concat(newValues, 0);
        grownKeys.attach(owner);
        grownValues.attach(owner);
        keys.close();
        values.close();
        keys = grownKeys;
        values = grownValues;
    }

    @Override
    public void close() {
        keys.close();
        values.close();
    }
}
