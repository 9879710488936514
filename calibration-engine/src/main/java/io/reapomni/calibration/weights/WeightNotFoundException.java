package io.reapomni.calibration.weights;

import java.io.IOException;

/** A tensor that the forward pass needs is not in the checkpoint. */
public class WeightNotFoundException extends IOException {
    public WeightNotFoundException(String name) {
        super("tensor \"" + name + "\" is not in the checkpoint");
    }
}
