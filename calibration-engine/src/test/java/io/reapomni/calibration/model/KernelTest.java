package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.reapomni.common.checkpoint.RopeConfig;
import io.reapomni.calibration.TestDevice;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Small kernels against values worked out by hand. */
class KernelTest {

    @Test
    void geluIsTheExactErfForm() {
        try (NDManager manager = TestDevice.newManager()) {
            float[] values = Activation.gelu(manager.create(new float[] {1f, -1f})).toFloatArray();
            // x * Φ(x): Φ(1) = 0.8413447460685429; the tanh approximation would give 0.841192
            assertThat(values[0]).isCloseTo(0.8413447f, within(1e-6f));
            assertThat(values[1]).isCloseTo(-0.1586553f, within(1e-6f));
        }
    }

    @Test
    void rmsNormScalesByTheRootMeanSquare() {
        try (NDManager manager = TestDevice.newManager()) {
            RmsNorm norm = new RmsNorm(manager.create(new float[] {1f, 2f}), 0f);
            // rms of (3, 4) is sqrt(12.5)
            float[] out = norm.apply(manager.create(new float[] {3f, 4f}, new Shape(1, 2))).toFloatArray();
            assertThat(out[0]).isCloseTo(3f / (float) Math.sqrt(12.5), within(1e-6f));
            assertThat(out[1]).isCloseTo(2f * 4f / (float) Math.sqrt(12.5), within(1e-6f));
        }
    }

    @Test
    void rotaryEmbeddingRotatesDimensionPairsHalfAHeadApart() {
        try (NDManager manager = TestDevice.newManager()) {
            // head_dim 4: frequencies 1 and 1/theta^(1/2) = 0.01 for theta 1e4; position 1
            RotaryEmbedding rope = MultimodalRope.create(manager, PositionIds.sequential(2), 4,
                    new RopeConfig(1e4, List.of(2, 0, 0), true));
            NDArray x = manager.create(new float[] {0, 0, 0, 0, 1, 2, 3, 4}, new Shape(1, 2, 4));
            float[] out = rope.apply(x).toFloatArray();
            double c0 = Math.cos(1), s0 = Math.sin(1), c1 = Math.cos(0.01), s1 = Math.sin(0.01);
            // pairs (x0, x2) and (x1, x3) rotate: x0' = x0 cos - x2 sin, x2' = x2 cos + x0 sin
            assertThat(out[4]).isCloseTo((float) (1 * c0 - 3 * s0), within(1e-6f));
            assertThat(out[5]).isCloseTo((float) (2 * c1 - 4 * s1), within(1e-6f));
            assertThat(out[6]).isCloseTo((float) (3 * c0 + 1 * s0), within(1e-6f));
            assertThat(out[7]).isCloseTo((float) (4 * c1 + 2 * s1), within(1e-6f));
        }
    }

    @Test
    void padMergePutsEncoderRowsAtThePadPositions() {
        try (NDManager manager = TestDevice.newManager()) {
            NDArray embeddings = manager.create(new float[] {1, 2, 3, 4}, new Shape(4, 1));
            NDArray audio = manager.create(new float[] {10, 20}, new Shape(2, 1));
            float[] merged = PadMerge.replacePads(embeddings, new int[] {5, 9, 9, 6}, 9, audio).toFloatArray();
            assertThat(merged).containsExactly(1f, 10f, 20f, 4f);
        }
    }
}
