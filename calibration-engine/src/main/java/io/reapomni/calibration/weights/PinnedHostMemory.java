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
 * or refuses a buffer, that buffer stays pageable: its copies only run slower, and {@link #state()} says so.
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
    private long pinnedBuffers;
    private long pinnedBytes;
    private long refusedBuffers;
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
            refusedBuffers++;
            lastRefusal = "cudaHostRegister refused " + buffer.capacity() + " bytes: "
                    + cuda.get().cudaGetErrorString(error);
            return Optional.empty();
        }
        pinnedBuffers++;
        pinnedBytes += buffer.capacity();
        return Optional.of(address);
    }

    synchronized void unpin(Pointer address) {
        runtime().ifPresent(cuda -> cuda.cudaHostUnregister(address));
    }

    /** Whether staging buffers were pinned in this process, or why not. */
    synchronized String state() {
        if (!loadFailure.isEmpty()) {
            return "pageable: the CUDA runtime could not be loaded (" + loadFailure + ")";
        }
        if (pinnedBuffers == 0 && refusedBuffers == 0) {
            return "pageable: nothing was placed on a GPU yet";
        }
        String pinned = "pinned with cudaHostRegister: " + pinnedBuffers + " buffers, " + (pinnedBytes >> 20) + " MiB";
        return refusedBuffers == 0 ? pinned
                : pinned + "; " + refusedBuffers + " left pageable (last: " + lastRefusal + ")";
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
