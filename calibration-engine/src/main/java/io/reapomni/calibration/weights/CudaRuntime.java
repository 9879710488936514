package io.reapomni.calibration.weights;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The CUDA runtime, called beside PyTorch through JNA for what DJL does not expose: page-locking host buffers, and
 * copying on a stream of our own. It is looked up by the versioned names PyTorch's wheels and images load it under (a
 * library the process has loaded already is found by that name wherever it lies, so this is usually PyTorch's own
 * copy; another copy works too, on the device's primary context that PyTorch uses), then by its plain name, found
 * where a CUDA toolkit is on the library path.
 */
final class CudaRuntime {
    /** The calls used, as the runtime declares them: error codes as ints (0 is success), a null stream the default. */
    interface Calls extends Library {
        int cudaHostRegister(Pointer pointer, long bytes, int flags);

        int cudaHostUnregister(Pointer pointer);

        int cudaSetDevice(int device);

        int cudaStreamCreateWithFlags(PointerByReference stream, int flags);

        int cudaStreamSynchronize(Pointer stream);

        int cudaStreamDestroy(Pointer stream);

        int cudaStreamWaitEvent(Pointer stream, Pointer event, int flags);

        int cudaEventCreateWithFlags(PointerByReference event, int flags);

        int cudaEventRecord(Pointer event, Pointer stream);

        int cudaEventDestroy(Pointer event);

        int cudaMemcpyAsync(Pointer destination, Pointer source, long bytes, int kind, Pointer stream);

        String cudaGetErrorString(int error);
    }

    /** cudaHostRegisterPortable: pinned for every CUDA context, whichever runtime copy PyTorch loaded. */
    static final int HOST_REGISTER_PORTABLE = 1;
    /** cudaStreamNonBlocking: no implicit synchronisation with the default stream, which PyTorch computes on. */
    static final int STREAM_NON_BLOCKING = 1;
    /** cudaEventDisableTiming: an event used only for ordering. */
    static final int EVENT_DISABLE_TIMING = 2;
    /** cudaMemcpyHostToDevice. */
    static final int HOST_TO_DEVICE = 1;

    private static final List<String> NAMES = List.of("libcudart.so.13", "libcudart.so.12", "libcudart.so.11.0",
            "cudart");
    private static final CudaRuntime INSTANCE = new CudaRuntime();

    private final Optional<Calls> calls;
    private final String loadFailure;

    private CudaRuntime() {
        List<String> failures = new ArrayList<>();
        Optional<Calls> loaded = Optional.empty();
        for (String name : NAMES) {
            try {
                loaded = Optional.of(Native.load(name, Calls.class));
                break;
            } catch (UnsatisfiedLinkError e) {
                failures.add(name + ": " + e.getMessage());
            }
        }
        this.calls = loaded;
        this.loadFailure = loaded.isPresent() ? "" : String.join("; ", failures);
    }

    /** The runtime's calls, or empty where it could not be loaded ({@link #loadFailure()} says why). */
    static Optional<Calls> calls() {
        return INSTANCE.calls;
    }

    static String loadFailure() {
        return INSTANCE.loadFailure;
    }

    /** Throws, naming {@code what} and the runtime's message, unless {@code error} is 0. */
    static void check(Calls cuda, int error, String what) {
        if (error != 0) {
            throw new IllegalStateException(what + " failed: " + cuda.cudaGetErrorString(error) + " (" + error + ")");
        }
    }
}
