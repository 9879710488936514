package io.reapomni.calibration.weights;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.sun.jna.Pointer;
import io.reapomni.common.format.Units;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Large host buffers that PyTorch owns (so that they count against no Java limit and the JVM never copies them),
 * handed out for staging weights and taken back once their contents are on the device: a run on the GPU allocates
 * its staging memory once, not once per layer, since every layer asks for the same sizes. A free buffer serves a
 * request it fits, up to twice the size asked for. A block that is copied to a GPU is pinned the first time
 * ({@link PinnedHostMemory}) and stays pinned until it is freed, so that each layer's copies run at the bus's speed.
 */
final class BlockPool implements AutoCloseable {
    /** Tensor groups are packed into blocks of up to this size (a larger group gets a block of its own). */
    static final long STANDARD_BYTES = 256L << 20;
    /** A direct buffer over a tensor cannot exceed 2 GiB (DJL's JNI refuses larger ones). */
    static final long MAX_BYTES = Integer.MAX_VALUE;
    static final long MAX_FREE_BYTES = 6L << 30;

    /**
     * Blocks below this stay pageable: the C allocator may serve them from pages shared with other buffers, which CUDA
     * will not register twice, and their copies are short anyway (glibc maps anything above 32 MiB pages of its own).
     */
    static final long MIN_PINNED_BYTES = 32L << 20;

    private final NDManager host = NDManager.newBaseManager(Device.cpu());
    private final List<NDArray> free = new ArrayList<>();
    /**
     * Blocks offered for pinning, by identity (DJL's NDArray.equals compares contents): the pinned address, or empty
     * where the block stays pageable (it is not offered again).
     */
    private final Map<NDArray, Optional<Pointer>> pinned = new IdentityHashMap<>();

    /** A buffer of {@code type} with room for at least {@code elements} elements; its contents are undefined. */
    synchronized NDArray acquire(DataType type, long elements) {
        long bytes = elements * type.getNumOfBytes();
        if (bytes > MAX_BYTES) {
            throw new IllegalArgumentException("a staging block of " + bytes + " bytes exceeds the 2 GiB limit");
        }
        // by position, never List.remove(Object): DJL's NDArray.equals compares contents
        int best = bestFit(free, type, elements);
        if (best >= 0) {
            return free.remove(best);
        }
        return host.create(new Shape(elements), type);
    }

    /**
     * Which of {@code free} serves a request for {@code elements} of {@code type}: the smallest of that type that
     * holds them in at most twice their size; -1 where none does.
     */
    static int bestFit(List<NDArray> free, DataType type, long elements) {
        int best = -1;
        for (int i = 0; i < free.size(); i++) {
            NDArray block = free.get(i);
            if (block.getDataType() == type && block.size() >= elements && block.size() <= 2 * elements
                    && (best < 0 || block.size() < free.get(best).size())) {
                best = i;
            }
        }
        return best;
    }

    /**
     * Pins {@code block}, one of this pool's, for its copy to a GPU, the first time it is offered; a small block, or
     * one the runtime refuses, stays pageable.
     */
    synchronized void pinForDevice(NDArray block) {
        if (!pinned.containsKey(block)) {
            pinned.put(block, bytes(block) < MIN_PINNED_BYTES ? Optional.empty()
                    : PinnedHostMemory.get().pin(block.toByteBuffer(true)));
        }
    }

    /** How the blocks copied to a GPU so far stand: how many are pinned, how many pageable and why. */
    synchronized String stagingMemory() {
        if (pinned.isEmpty()) {
            return "pageable: nothing was placed on a GPU yet";
        }
        long pinnedBlocks = pinned.values().stream().filter(Optional::isPresent).count();
        long pinnedBytes = pinned.entrySet().stream().filter(entry -> entry.getValue().isPresent())
                .mapToLong(entry -> bytes(entry.getKey())).sum();
        long pageable = pinned.size() - pinnedBlocks;
        String state = pinnedBlocks + " blocks (" + Units.bytes(pinnedBytes) + ") pinned with cudaHostRegister";
        return pageable == 0 ? state : state + ", " + pageable + " pageable (under " + Units.bytes(MIN_PINNED_BYTES)
                + PinnedHostMemory.get().problem().map(problem -> ", or " + problem).orElse("") + ")";
    }

    /**
     * Takes a buffer back for reuse; it must still belong to this pool's manager. Beyond {@link #MAX_FREE_BYTES} of
     * free buffers (two staged layers of the full model and change) it is freed instead.
     */
    synchronized void release(NDArray block) {
        long freeBytes = free.stream().mapToLong(BlockPool::bytes).sum();
        if (freeBytes + bytes(block) > MAX_FREE_BYTES) {
            unpin(block);
            block.close();
        } else {
            free.add(block);
        }
    }

    /** Takes back a block that was handed over to a layer on the CPU, once the layer is done with it. */
    synchronized void reclaim(NDArray block) {
        block.attach(host);
        release(block);
    }

    private static long bytes(NDArray block) {
        return block.size() * block.getDataType().getNumOfBytes();
    }

    private void unpin(NDArray block) {
        Optional.ofNullable(pinned.remove(block)).flatMap(address -> address).ifPresent(PinnedHostMemory.get()::unpin);
    }

    @Override
    public synchronized void close() {
        pinned.values().forEach(address -> address.ifPresent(PinnedHostMemory.get()::unpin));
        pinned.clear();
        free.clear();
        host.close();
    }
}
