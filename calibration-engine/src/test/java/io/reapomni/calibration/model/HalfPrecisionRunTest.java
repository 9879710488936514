package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.reapomni.calibration.TestDevice;
import io.reapomni.calibration.TinyFixture;
import io.reapomni.common.checkpoint.MoeStack;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** float16 weights and products: the same computation, to float16's precision. */
class HalfPrecisionRunTest {

    @Test
    void float16LayerStaysCloseToTheFloat32Reference() throws IOException {
        TinyFixture fixture = TinyFixture.load();
        ThinkerLoader loader = new ThinkerLoader(fixture.weights, fixture.config.stack(MoeStack.THINKER),
                ComputePrecision.FLOAT16);
        try (NDManager manager = TestDevice.newManager()) {
            NDArray input = manager.create(fixture.floats("text.layer0.in"), new Shape(fixture.shape("text.layer0.in")));
            DecoderLayer layer = loader.layer(manager, 0);
            assertThat(layer.attention().queryProjection().weight().getDataType()).isEqualTo(DataType.FLOAT16);
            LayerResult result = layer.apply(input,
                    loader.rope(manager, PositionIds.sequential(Math.toIntExact(input.getShape().get(0)))));
            assertThat(result.hidden().getDataType()).isEqualTo(DataType.FLOAT32);
            float error = TinyFixture.maxAbsDiff(result.hidden().toFloatArray(), fixture.floats("text.layer1.in"));
            System.out.printf("float16 layer 0 output: max abs error %.3g%n", error);
            assertThat(error).isLessThan(1e-2f);
        }
    }
}
