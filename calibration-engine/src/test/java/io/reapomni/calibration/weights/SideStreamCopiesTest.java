package io.reapomni.calibration.weights;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.reapomni.calibration.TestDevice;
import io.reapomni.calibration.model.ComputeDevice;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Blocks copied on the copy stream arrive whole once it is awaited, and a released device buffer serves the next copy
 * of its size. Needs a GPU ({@code -Dreap.device=gpu}); the parity tests on the GPU then run through it too.
 */
class SideStreamCopiesTest {

    @Test
    void copiesArriveWholeAndAReleasedBufferServesTheNextCopy() {
        assumeTrue(TestDevice.device() == ComputeDevice.GPU, "the copy stream needs a GPU");
        SideStreamCopies.Result opened = SideStreamCopies.open(TestDevice.device().toDjl());
        assertThat(opened.copies()).as("copy stream: %s", opened.failure()).isPresent();
        try (SideStreamCopies copies = opened.copies().get();
             NDManager host = NDManager.newBaseManager(Device.cpu())) {
            SideStreamCopies.DeviceBuffer first = copies.copy(block(host, 1f), 1000);
            copies.await();
            assertThat(first.array().getDevice()).isEqualTo(TestDevice.device().toDjl());
            assertThat(first.array().toFloatArray()).containsExactly(values(1f));
            copies.release(first);

            SideStreamCopies.DeviceBuffer second = copies.copy(block(host, -3f), 1000);
            copies.await();
            assertThat(second.address()).as("the released buffer, reused").isEqualTo(first.address());
            assertThat(second.array().toFloatArray()).containsExactly(values(-3f));
            copies.release(second);
        }
    }

    private static NDArray block(NDManager host, float scale) {
        NDArray block = host.create(new Shape(1000), DataType.FLOAT32);
        block.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer().put(values(scale));
        return block;
    }

    private static float[] values(float scale) {
        float[] values = new float[1000];
        for (int i = 0; i < values.length; i++) {
            values[i] = scale * i;
        }
        return values;
    }
}
