package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import java.util.function.Function;

/**
 * Work whose intermediates are freed as soon as it returns, so that a layer over a long stream holds one step's
 * temporaries at a time rather than all of them until the layer ends: the inputs are lent to a sub-manager of the
 * first input's manager (a result lands on its first operand's manager), and only what the work returns is kept, owned
 * by that manager. The work must return new arrays, not its inputs.
 */
final class Scratch {
    private Scratch() {
    }

    static NDArray keep(Function<NDList, NDArray> work, NDArray... inputs) {
        NDManager owner = inputs[0].getManager();
        try (NDManager scratch = owner.newSubManager()) {
            for (NDArray input : inputs) {
                input.tempAttach(scratch);
            }
            NDArray result = work.apply(new NDList(inputs));
            result.attach(owner);
            return result;
        }
    }
}
