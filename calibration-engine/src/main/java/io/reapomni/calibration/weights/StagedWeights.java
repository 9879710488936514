package io.reapomni.calibration.weights;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Tensor groups decoded into the compute dtype in host blocks, ready to be placed on a device: on the GPU each block
 * is copied up in one transfer (on a stream of its own where the CUDA runtime allows, {@link SideStreamCopies}, into
 * device buffers reused from layer to layer) and goes back to the pool; on the CPU the blocks themselves become the
 * weights, so nothing is copied at all. Blocks and device buffers that the weights hold go back to their pools once
 * the caller is done with the weights ({@link Placed#recycle()}).
 */
public final class StagedWeights implements AutoCloseable {
    private final BlockPool pool;
    private final Function<Device, Optional<SideStreamCopies>> copyStreams;
    private final List<StagedBlock> blocks;
    private final Map<String, Placement> placements;
    private final StageCost cost;
    private boolean placed;

    /** Where a group's elements start in which block, and its shape. */
    record Placement(int block, long offset, Shape shape) {
    }

    /** A host block and how many of its elements the staged groups fill. */
    record StagedBlock(NDArray array, long used) {
    }

    /** @param copyStreams a device's copy stream, where it has one */
    StagedWeights(BlockPool pool, Function<Device, Optional<SideStreamCopies>> copyStreams, List<StagedBlock> blocks,
                  Map<String, Placement> placements, StageCost cost) {
        this.pool = pool;
        this.copyStreams = copyStreams;
        this.blocks = List.copyOf(blocks);
        this.placements = Map.copyOf(placements);
        this.cost = cost;
    }

    /** What reading and decoding these weights took. */
    public StageCost cost() {
        return cost;
    }

    /**
     * Places the groups on {@code manager}'s device, owned by {@code manager}: freed with it; can be done once.
     *
     * @return the groups as device tensors, and the seconds the transfer took
     */
    public Placed place(NDManager manager) {
        return place(manager, false);
    }

    /**
     * Places the groups on {@code manager}'s device for a run that streams layer after layer: on a GPU into device
     * buffers reused from layer to layer, copied on a stream of their own where there is one. The buffers go back for
     * the next layer when the weights are recycled ({@link Placed#recycle()}, which the caller must call once nothing
     * reads them), not when {@code manager} closes.
     */
    public Placed placeForStreaming(NDManager manager) {
        return place(manager, true);
    }

    private Placed place(NDManager manager, boolean streaming) {
        if (placed) {
            throw new IllegalStateException("staged weights can be placed once");
        }
        placed = true;
        long start = System.nanoTime();
        boolean onHost = !manager.getDevice().isGpu();
        NDArray[] onDevice = new NDArray[blocks.size()];
        Runnable recycler;
        if (onHost) {
            for (int i = 0; i < blocks.size(); i++) {
                blocks.get(i).array().attach(manager);
                onDevice[i] = blocks.get(i).array();
            }
            List<NDArray> handedOver = blocks.stream().map(StagedBlock::array).toList();
            recycler = () -> handedOver.forEach(pool::reclaim);
        } else {
            Optional<SideStreamCopies> stream = streaming ? copyStreams.apply(manager.getDevice()) : Optional.empty();
            recycler = stream.isPresent()
                    ? copyOnStream(stream.get(), manager, onDevice)
                    : copyOnDefault(manager, onDevice);
        }
        Map<String, NDArray> tensors = new HashMap<>();
        try {
            placements.forEach((key, placement) -> tensors.put(key, onDevice[placement.block()]
                    .get(new NDIndex("{}:{}", placement.offset(), placement.offset() + placement.shape().size()))
                    .reshape(placement.shape())));
        } catch (RuntimeException | Error e) {
            recycler.run();
            throw e;
        }
        return new Placed(new DeviceTensors(tensors), (System.nanoTime() - start) / 1e9, recycler);
    }

    /** Each block copied through DJL, on the stream the layers compute on; the blocks go back to the pool at once. */
    private Runnable copyOnDefault(NDManager manager, NDArray[] onDevice) {
        for (int i = 0; i < blocks.size(); i++) {
            StagedBlock block = blocks.get(i);
            pool.pinForDevice(block.array());
            try (NDArray used = block.array().get(new NDIndex("0:{}", block.used()))) {
                onDevice[i] = used.toDevice(manager.getDevice(), false);
                onDevice[i].attach(manager);
            } finally {
                pool.release(block.array());
            }
        }
        return () -> { };
    }

    /**
     * Every block copied on the copy stream into a device buffer of its own; the blocks go back to the pool once all
     * copies are done, the device buffers when the weights are recycled.
     */
    private Runnable copyOnStream(SideStreamCopies stream, NDManager manager, NDArray[] onDevice) {
        List<SideStreamCopies.DeviceBuffer> lent = new ArrayList<>();
        try {
            for (int i = 0; i < blocks.size(); i++) {
                StagedBlock block = blocks.get(i);
                pool.pinForDevice(block.array());
                SideStreamCopies.DeviceBuffer buffer = stream.copy(block.array(), block.used());
                lent.add(buffer);
                onDevice[i] = buffer.array().get(new NDIndex("0:{}", block.used()));
                onDevice[i].attach(manager);
            }
            stream.await();
        } catch (RuntimeException | Error e) {
            try {
                stream.await();
            } catch (RuntimeException copyFailure) {
                e.addSuppressed(copyFailure);
            }
            lent.forEach(stream::release);
            throw e;
        } finally {
            blocks.forEach(block -> pool.release(block.array()));
        }
        return () -> lent.forEach(stream::release);
    }

    /**
     * Staged groups on their device, and how long putting them there took (nothing moves on the CPU).
     * {@link #recycle()} gives host blocks that became CPU weights back for the next layer's staging: call it when
     * nothing will read these tensors any more, before their manager is closed.
     */
    public record Placed(DeviceTensors tensors, double seconds, Runnable recycler) {
        public void recycle() {
            recycler.run();
        }
    }

    /** Gives the blocks back when the weights were never placed (a failed or abandoned run). */
    @Override
    public void close() {
        if (!placed) {
            placed = true;
            blocks.forEach(block -> pool.release(block.array()));
        }
    }
}
