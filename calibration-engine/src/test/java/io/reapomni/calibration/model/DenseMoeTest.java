package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.reapomni.calibration.TestDevice;
import io.reapomni.calibration.TinyFixture;
import io.reapomni.common.checkpoint.MoeStack;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** The dense baseline of the benchmark computes what the sparse dispatch computes. */
class DenseMoeTest {

    @Test
    void everyExpertOnEveryTokenWeightedByItsRoutingGivesTheSparseOutput() throws IOException {
        TinyFixture fixture = TinyFixture.load();
        ThinkerLoader loader = new ThinkerLoader(fixture.weights, fixture.config.stack(MoeStack.THINKER),
                ComputePrecision.FLOAT32);
        try (NDManager manager = TestDevice.newManager()) {
            DecoderLayer layer = loader.layer(manager, 0);
            MoeBlock moe = (MoeBlock) layer.feedForward();
            NDArray x = manager.create(fixture.floats("text.layer1.in"), new Shape(fixture.shape("text.layer1.in")));

            float[] sparse = moe.apply(x).output().toFloatArray();
            float[] dense = moe.denseOutput(x).toFloatArray();

            // the tiny model's expert outputs are of order 1e-6, so the tolerance is relative to them
            float largest = TinyFixture.maxAbsDiff(sparse, new float[sparse.length]);
            assertThat(largest).isGreaterThan(0f);
            assertThat(TinyFixture.maxAbsDiff(dense, sparse)).isLessThan(1e-4f * largest);
        }
    }
}
