package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import java.util.function.Consumer;
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
        return keepAll(lent -> new NDList(work.apply(lent)), inputs).singletonOrThrow();
    }

    /** Work done for its effect on arrays it was not lent (writes into a buffer); every intermediate is freed. */
    static void run(Consumer<NDList> work, NDArray... inputs) {
        keepAll(lent -> {
            work.accept(lent);
            return new NDList();
        }, inputs);
    }

    static NDList keepAll(Function<NDList, NDList> work, NDArray... inputs) {
        NDManager owner = inputs[0].getManager();
        try (NDManager scratch = owner.newSubManager()) {
            for (NDArray input : inputs) {
                input.tempAttach(scratch);
            }
            NDList results = work.apply(new NDList(inputs));
            results.forEach(result -> result.attach(owner));
            return results;
        }
    }
}
