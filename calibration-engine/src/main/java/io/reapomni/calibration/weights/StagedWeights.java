package io.reapomni.calibration.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tensor groups decoded into the compute dtype in host blocks, ready to be placed on a device: on the GPU each block
 * is copied up in one transfer and goes back to the pool; on the CPU the blocks themselves become the weights, so
 * nothing is copied at all, and go back to the pool once the caller is done with the weights
 * ({@link Placed#recycle()}).
 */
public final class StagedWeights implements AutoCloseable {
    private final BlockPool pool;
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

    StagedWeights(BlockPool pool, List<StagedBlock> blocks, Map<String, Placement> placements, StageCost cost) {
        this.pool = pool;
        this.blocks = List.copyOf(blocks);
        this.placements = Map.copyOf(placements);
        this.cost = cost;
    }

    /** What reading and decoding these weights took. */
    public StageCost cost() {
        return cost;
    }

    /**
     * Places the groups on {@code manager}'s device, owned by {@code manager}; can be done once.
     *
     * @return the groups as device tensors, and the seconds the transfer took
     */
    public Placed place(NDManager manager) {
        if (placed) {
            throw new IllegalStateException("staged weights can be placed once");
        }
        placed = true;
        long start = System.nanoTime();
        boolean onHost = !manager.getDevice().isGpu();
        NDArray[] onDevice = new NDArray[blocks.size()];
        for (int i = 0; i < blocks.size(); i++) {
            StagedBlock block = blocks.get(i);
            if (onHost) {
                block.array().attach(manager);
                onDevice[i] = block.array();
            } else {
                pool.pinForDevice(block.array());
                try (NDArray used = block.array().get(new NDIndex("0:{}", block.used()))) {
                    onDevice[i] = used.toDevice(manager.getDevice(), false);
                    onDevice[i].attach(manager);
                }
                pool.release(block.array());
            }
        }
        Map<String, NDArray> tensors = new HashMap<>();
        placements.forEach((key, placement) -> tensors.put(key, onDevice[placement.block()]
                .get(new NDIndex("{}:{}", placement.offset(), placement.offset() + placement.shape().size()))
                .reshape(placement.shape())));
        List<NDArray> handedOver = onHost ? blocks.stream().map(StagedBlock::array).toList() : List.of();
        return new Placed(new DeviceTensors(tensors), (System.nanoTime() - start) / 1e9,
                () -> handedOver.forEach(pool::reclaim));
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
