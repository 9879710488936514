package io.reapomni.calibration.weights;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Page-locks host buffers with the CUDA runtime ({@code cudaHostRegister}), so that their copies to the GPU run as
 * DMA at the bus's speed: a copy from pageable memory goes through the driver's small bounce buffers at a fraction of
 * that, and holds up the compute stream all the while (DJL copies on the stream the layers compute on). DJL exposes
 * no pinned allocation, so the buffers PyTorch allocated are registered in place. Where the runtime cannot be loaded
 * or refuses a buffer, that buffer stays pageable: its copies only run slower, and {@link #problem()} says why.
 */
final class PinnedHostMemory {
    /** The CUDA runtime calls used, as the runtime declares them (error codes as ints, 0 meaning success). */
    private interface CudaRuntime extends Library {
        int cudaHostRegister(Pointer pointer, long bytes, int flags);

        int cudaHostUnregister(Pointer pointer);

        String cudaGetErrorString(int error);
    }

    /** cudaHostRegisterPortable: pinned for every CUDA context, whichever runtime copy PyTorch loaded. */
    private static final int PORTABLE = 1;

    /**
     * The runtime by the versioned names PyTorch's wheels and images load it under (a library the process has loaded
     * already is found by that name wherever it lies, so this is PyTorch's own copy), else by its plain name, found
     * where a CUDA toolkit is on the library path.
     */
    private static final List<String> RUNTIME_NAMES = List.of("libcudart.so.13", "libcudart.so.12",
            "libcudart.so.11.0", "cudart");

    private static final PinnedHostMemory INSTANCE = new PinnedHostMemory();

    private Optional<CudaRuntime> runtime = Optional.empty();
    private boolean loadTried;
    private String loadFailure = "";
    private String lastRefusal = "";

    private PinnedHostMemory() {
    }

    static PinnedHostMemory get() {
        return INSTANCE;
    }

    /**
     * Pins {@code buffer} (a direct buffer over host memory that stays allocated until {@link #unpin}).
     *
     * @return the pinned address, to unpin before the memory is freed; empty where it stays pageable
     */
    synchronized Optional<Pointer> pin(ByteBuffer buffer) {
        Optional<CudaRuntime> cuda = runtime();
        if (cuda.isEmpty()) {
            return Optional.empty();
        }
        Pointer address = Native.getDirectBufferPointer(buffer);
        int error = cuda.get().cudaHostRegister(address, buffer.capacity(), PORTABLE);
        if (error != 0) {
            lastRefusal = "cudaHostRegister refused " + buffer.capacity() + " bytes: "
                    + cuda.get().cudaGetErrorString(error);
            return Optional.empty();
        }
        return Optional.of(address);
    }

    synchronized void unpin(Pointer address) {
        runtime().ifPresent(cuda -> cuda.cudaHostUnregister(address));
    }

    /** Why a buffer offered in this process stayed pageable: the runtime not found, or its last refusal. */
    synchronized Optional<String> problem() {
        if (!loadFailure.isEmpty()) {
            return Optional.of("the CUDA runtime could not be loaded (" + loadFailure + ")");
        }
        return lastRefusal.isEmpty() ? Optional.empty() : Optional.of(lastRefusal);
    }

    private Optional<CudaRuntime> runtime() {
        if (!loadTried) {
            loadTried = true;
            List<String> failures = new ArrayList<>();
            for (String name : RUNTIME_NAMES) {
                try {
                    runtime = Optional.of(Native.load(name, CudaRuntime.class));
                    return runtime;
                } catch (UnsatisfiedLinkError e) {
                    failures.add(name + ": " + e.getMessage());
                }
            }
            loadFailure = String.join("; ", failures);
        }
        return runtime;
    }
}
