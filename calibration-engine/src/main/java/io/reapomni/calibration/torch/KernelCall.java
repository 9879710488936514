package io.reapomni.calibration.torch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.IValue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One call of a {@link TorchScriptKernels} method: its arguments in order, then the call, which frees the native
 * values made for them whatever happens, as do the argument methods when one of them fails.
 */
public final class KernelCall {
    private final TorchScriptKernels kernels;
    private final String method;
    private final List<IValue> arguments = new ArrayList<>();

    KernelCall(TorchScriptKernels kernels, String method) {
        this.kernels = kernels;
        this.method = method;
    }

    public KernelCall tensor(NDArray array) {
        return add(() -> IValue.from((PtNDArray) array));
    }

    public KernelCall tensors(List<? extends NDArray> arrays) {
        return add(() -> IValue.listFrom(arrays.stream().map(PtNDArray.class::cast).toArray(PtNDArray[]::new)));
    }

    public KernelCall integer(long value) {
        return add(() -> IValue.from(value));
    }

    public KernelCall integers(long... values) {
        return add(() -> IValue.listFrom(values));
    }

    public KernelCall real(double value) {
        return add(() -> IValue.from(value));
    }

    /** Runs the method; its one tensor belongs to {@code owner}. */
    public NDArray returningTensor(NDManager owner) {
        return run(result -> result.toTensor((PtNDManager) owner));
    }

    /** Runs the method; its list of tensors belongs to {@code owner}. */
    public NDList returningTensors(NDManager owner) {
        return run(result -> new NDList(result.toTensorArray((PtNDManager) owner)));
    }

    /** Runs a method that works in place on its arguments and returns nothing. */
    public void returningNothing() {
        run(result -> null);
    }

    /** Runs the method and reads its result before both the result and the arguments are freed. */
    private <T> T run(Function<IValue, T> read) {
        try (IValue result = kernels.run(method, arguments.toArray(IValue[]::new))) {
            return read.apply(result);
        } finally {
            release();
        }
    }

    private KernelCall add(Supplier<IValue> argument) {
        try {
            arguments.add(argument.get());
            return this;
        } catch (RuntimeException | Error e) {
            release();
            throw e;
        }
    }

    private void release() {
        arguments.forEach(IValue::close);
        arguments.clear();
    }
}
