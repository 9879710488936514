package io.reapomni.calibration.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BlockPoolTest {

    @Test
    void aSmallBlockStaysPageableAndTheStateSaysSo() {
        try (BlockPool pool = new BlockPool()) {
            assertThat(pool.stagingMemory()).isEqualTo("pageable: nothing was placed on a GPU yet");
            NDArray block = pool.acquire(DataType.FLOAT16, 1 << 20);

            pool.pinForDevice(block);
            pool.pinForDevice(block);

            assertThat(pool.stagingMemory()).startsWith("0 blocks (0 B) pinned with cudaHostRegister, 1 pageable "
                    + "(under 32.0 MiB");
        }
    }

    @Test
    void aFreeBlockServesTheSameRequestAgain() {
        try (BlockPool pool = new BlockPool()) {
            NDArray first = pool.acquire(DataType.FLOAT16, 1000);
            pool.release(first);

            assertThat(pool.acquire(DataType.FLOAT16, 900)).isSameAs(first);
            assertThat(pool.acquire(DataType.FLOAT16, 900)).isNotSameAs(first);
        }
    }
}
