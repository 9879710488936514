package io.reapomni.calibration.weights;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Copies staged host blocks to a GPU on a CUDA stream of their own, into device buffers kept for the run, so that the
 * next layer's weights travel while the current layer computes. DJL copies on PyTorch's default stream, the one the
 * layers compute on, where a full-width layer's 1.2 GiB held up the computation for the whole of its copy (24 ms on
 * an H100). A buffer is written only once the work queued on the default stream before it was allocated, or before
 * it was last released, has finished: a CUDA event orders the copy after it, so a layer still computing never sees
 * the next layer's weights and no scratch array of PyTorch's allocator is overwritten.
 */
final class SideStreamCopies implements AutoCloseable {
    /** Free buffers beyond this many bytes are given back to PyTorch's allocator: a layer's worth is reused. */
    static final long MAX_FREE_BYTES = 3L << 30;

    private final CudaRuntime.Calls cuda;
    private final int deviceId;
    private final Pointer stream;
    private final NDManager buffers;
    private final List<DeviceBuffer> free = new ArrayList<>();
    /** The events of every buffer made, lent or free, destroyed with the stream. */
    private final List<Pointer> events = new ArrayList<>();

    /** A device buffer of the pool, its address, and the event the next copy into it waits for. */
    record DeviceBuffer(NDArray array, Pointer address, Pointer ready) {
        long bytes() {
            return array.size() * array.getDataType().getNumOfBytes();
        }
    }

    private SideStreamCopies(CudaRuntime.Calls cuda, int deviceId, Pointer stream, NDManager buffers) {
        this.cuda = cuda;
        this.deviceId = deviceId;
        this.stream = stream;
        this.buffers = buffers;
    }

    /**
     * A copy stream on {@code device}, or why there is none (no CUDA runtime, or DJL's tensors do not show their
     * device addresses): the caller then copies through DJL on the default stream.
     */
    static Result open(Device device) {
        Optional<CudaRuntime.Calls> runtime = CudaRuntime.calls();
        if (runtime.isEmpty()) {
            return Result.failed("the CUDA runtime could not be loaded (" + CudaRuntime.loadFailure() + ")");
        }
        CudaRuntime.Calls cuda = runtime.get();
        NDManager buffers = NDManager.newBaseManager(device);
        try {
            try (NDArray probe = buffers.create(new Shape(1), DataType.INT8)) {
                DeviceAddresses.of(probe);
            }
            CudaRuntime.check(cuda, cuda.cudaSetDevice(device.getDeviceId()), "cudaSetDevice");
            PointerByReference stream = new PointerByReference();
            CudaRuntime.check(cuda, cuda.cudaStreamCreateWithFlags(stream, CudaRuntime.STREAM_NON_BLOCKING),
                    "cudaStreamCreateWithFlags");
            return new Result(Optional.of(new SideStreamCopies(cuda, device.getDeviceId(), stream.getValue(),
                    buffers)), "");
        } catch (RuntimeException e) {
            buffers.close();
            return Result.failed(e.getMessage());
        }
    }

    /** A copy stream, or why none could be opened. */
    record Result(Optional<SideStreamCopies> copies, String failure) {
        static Result failed(String failure) {
            return new Result(Optional.empty(), failure);
        }
    }

    /**
     * Starts copying the first {@code elements} of {@code block} (a contiguous host array, best pinned) into a device
     * buffer of the pool; the copy is complete once {@link #await} returns.
     */
    synchronized DeviceBuffer copy(NDArray block, long elements) {
        CudaRuntime.check(cuda, cuda.cudaSetDevice(deviceId), "cudaSetDevice");
        DeviceBuffer buffer = acquire(block.getDataType(), elements);
        try {
            CudaRuntime.check(cuda, cuda.cudaStreamWaitEvent(stream, buffer.ready(), 0), "cudaStreamWaitEvent");
            Pointer source = Native.getDirectBufferPointer(block.toByteBuffer(true));
            CudaRuntime.check(cuda, cuda.cudaMemcpyAsync(buffer.address(), source,
                    elements * block.getDataType().getNumOfBytes(), CudaRuntime.HOST_TO_DEVICE, stream),
                    "cudaMemcpyAsync");
            return buffer;
        } catch (RuntimeException | Error e) {
            free.add(buffer);
            throw e;
        }
    }

    /** Waits for every copy started so far. */
    void await() {
        CudaRuntime.check(cuda, cuda.cudaStreamSynchronize(stream), "cudaStreamSynchronize");
    }

    /**
     * Takes a buffer back once nothing will queue more work on it; the next copy into it waits for the work queued
     * on the default stream until now.
     */
    synchronized void release(DeviceBuffer buffer) {
        CudaRuntime.check(cuda, cuda.cudaSetDevice(deviceId), "cudaSetDevice");
        CudaRuntime.check(cuda, cuda.cudaEventRecord(buffer.ready(), null), "cudaEventRecord");
        long freeBytes = free.stream().mapToLong(DeviceBuffer::bytes).sum();
        if (freeBytes + buffer.bytes() > MAX_FREE_BYTES) {
            destroy(buffer);
        } else {
            free.add(buffer);
        }
    }

    private DeviceBuffer acquire(DataType type, long elements) {
        int best = BlockPool.bestFit(free.stream().map(DeviceBuffer::array).toList(), type, elements);
        if (best >= 0) {
            return free.remove(best);
        }
        NDArray array = buffers.create(new Shape(elements), type);
        PointerByReference ready = new PointerByReference();
        CudaRuntime.check(cuda, cuda.cudaEventCreateWithFlags(ready, CudaRuntime.EVENT_DISABLE_TIMING),
                "cudaEventCreateWithFlags");
        events.add(ready.getValue());
        // PyTorch's allocator may hand out memory that work queued on the default stream still uses
        CudaRuntime.check(cuda, cuda.cudaEventRecord(ready.getValue(), null), "cudaEventRecord");
        return new DeviceBuffer(array, DeviceAddresses.of(array), ready.getValue());
    }

    private void destroy(DeviceBuffer buffer) {
        events.remove(buffer.ready());
        cuda.cudaEventDestroy(buffer.ready());
        buffer.array().close();
    }

    /** Frees every buffer, free or lent (views of a lent one keep its memory until they are closed). */
    @Override
    public synchronized void close() {
        cuda.cudaStreamSynchronize(stream);
        events.forEach(cuda::cudaEventDestroy);
        events.clear();
        free.clear();
        cuda.cudaStreamDestroy(stream);
        buffers.close();
    }

    /**
     * Device addresses of DJL's GPU tensors, which DJL does not expose: its JNI's {@code torchDirectByteBuffer} wraps
     * a contiguous tensor's data pointer in a direct buffer without copying, on any device. The buffer is only used
     * for its address, never read or written from Java.
     */
    static final class DeviceAddresses {
        private static Method wrap;
        private static Object library;

        private DeviceAddresses() {
        }

        static synchronized Pointer of(NDArray array) {
            try {
                if (wrap == null) {
                    Class<?> type = Class.forName("ai.djl.pytorch.jni.PyTorchLibrary");
                    Field instance = type.getDeclaredField("LIB");
                    instance.setAccessible(true);
                    Method method = type.getDeclaredMethod("torchDirectByteBuffer", long.class);
                    method.setAccessible(true);
                    library = instance.get(null);
                    wrap = method;
                }
                ByteBuffer buffer = (ByteBuffer) wrap.invoke(library, ((PtNDArray) array).getHandle());
                return Native.getDirectBufferPointer(buffer);
            } catch (ReflectiveOperationException | ClassCastException e) {
                throw new IllegalStateException("DJL does not show a GPU tensor's device address: " + e, e);
            }
        }
    }
}
