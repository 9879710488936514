package io.reapomni.calibration.torch;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;

import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * Two functions of DJL's JNI that its Java API does not expose, reached through its package-private
 * {@code PyTorchLibrary}: a tensor's data wrapped in a direct buffer without copying (on any device: the engine uses
 * a GPU tensor's only for its address), and a TorchScript method run on a CUDA stream of PyTorch's pool (DJL offers
 * that only as a process-wide switch).
 */
public final class DjlNatives {
    private static Access access;

    /** DJL's JNI library, the two functions, and the constructor that wraps a returned IValue's handle. */
    private record Access(Object library, Method directBuffer, Method runMethod, Constructor<IValue> value) {
    }

    private DjlNatives() {
    }

    /** The data of a contiguous tensor, not copied: never read or write it from Java when the tensor is on a GPU. */
    public static ByteBuffer dataOf(NDArray array) {
        try {
            Access natives = access();
            return (ByteBuffer) natives.directBuffer().invoke(natives.library(), ((PtNDArray) array).getHandle());
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw unavailable("a tensor's data address", e);
        }
    }

    /**
     * Runs {@code method} of {@code module} without autograd; with {@code streamOfItsOwn}, on a CUDA stream taken from
     * PyTorch's pool for the call (where CUDA is available), with the caller's stream restored afterwards even if it
     * fails. Work queued on that stream is ordered with nothing else: the method must finish it before returning.
     */
    static IValue run(PtSymbolBlock module, String method, boolean streamOfItsOwn, IValue... arguments) {
        long[] handles = Arrays.stream(arguments).mapToLong(IValue::getHandle).toArray();
        Access natives;
        long result;
        try {
            natives = access();
            result = (long) natives.runMethod().invoke(natives.library(), module.getHandle(), method, handles, false,
                    streamOfItsOwn);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException("TorchScript method " + method + " failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw unavailable("running a TorchScript method on a stream of its own", e);
        }
        try {
            return natives.value().newInstance(result);
        } catch (ReflectiveOperationException e) {
            throw unavailable("wrapping a TorchScript method's result", e);
        }
    }

    private static synchronized Access access() throws ReflectiveOperationException {
        if (access == null) {
            Class<?> type = Class.forName("ai.djl.pytorch.jni.PyTorchLibrary");
            Field instance = type.getDeclaredField("LIB");
            Method directBuffer = type.getDeclaredMethod("torchDirectByteBuffer", long.class);
            Method runMethod = type.getDeclaredMethod("moduleRunMethod", long.class, String.class, long[].class,
                    boolean.class, boolean.class);
            Constructor<IValue> value = IValue.class.getDeclaredConstructor(long.class);
            for (AccessibleObject member : List.of(instance, directBuffer, runMethod, value)) {
                member.setAccessible(true);
            }
            access = new Access(instance.get(null), directBuffer, runMethod, value);
        }
        return access;
    }

    private static IllegalStateException unavailable(String what, Exception e) {
        return new IllegalStateException("this DJL does not offer " + what + " as reap-omni expects: " + e, e);
    }
}
