package io.reapomni.calibration.weights;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Page-locks host buffers with the CUDA runtime ({@code cudaHostRegister}), so that their copies to the GPU run as
 * DMA at the bus's speed: a copy from pageable memory goes through the driver's small bounce buffers at a fraction of
 * that, and holds up the compute stream all the while (DJL copies on the stream the layers compute on). DJL exposes
 * no pinned allocation, so the buffers PyTorch allocated are registered in place. Where the runtime cannot be loaded
 * or refuses a buffer, that buffer stays pageable: its copies only run slower, and {@link #problem()} says why.
 */
final class PinnedHostMemory {
    private static final PinnedHostMemory INSTANCE = new PinnedHostMemory();

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
        Optional<CudaRuntime.Calls> cuda = CudaRuntime.calls();
        if (cuda.isEmpty()) {
            return Optional.empty();
        }
        Pointer address = Native.getDirectBufferPointer(buffer);
        int error = cuda.get().cudaHostRegister(address, buffer.capacity(), CudaRuntime.HOST_REGISTER_PORTABLE);
        if (error != 0) {
            lastRefusal = "cudaHostRegister refused " + buffer.capacity() + " bytes: "
                    + cuda.get().cudaGetErrorString(error);
            return Optional.empty();
        }
        return Optional.of(address);
    }

    synchronized void unpin(Pointer address) {
        CudaRuntime.calls().ifPresent(cuda -> cuda.cudaHostUnregister(address));
    }

    /** Why a buffer offered in this process stayed pageable: the runtime not found, or its last refusal. */
    synchronized Optional<String> problem() {
        if (CudaRuntime.calls().isEmpty()) {
            return Optional.of("the CUDA runtime could not be loaded (" + CudaRuntime.loadFailure() + ")");
        }
        return lastRefusal.isEmpty() ? Optional.empty() : Optional.of(lastRefusal);
    }
}
