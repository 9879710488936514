package io.reapomni.calibration.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.reapomni.common.calibration.ConversionLoss;
import io.reapomni.common.safetensors.DType;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.assertj.core.api.Assertions.assertThat;

/** Every bfloat16 value's conversion, against PyTorch's own float32 to float16 rounding. */
class WeightDecoderTest {
    private static final int PATTERNS = 1 << 16;

    @Test
    void everyBfloat16BecomesTheFloat16PyTorchRoundsItToAndWhatFloat16CannotHoldIsCounted() {
        float[] values = new float[PATTERNS];
        for (int bits = 0; bits < PATTERNS; bits++) {
            values[bits] = HalfPrecision.bf16ToFloat((short) bits);
        }
        ByteBuffer torch;
        try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu());
             NDArray asHalf = manager.create(values).toType(DataType.FLOAT16, true)) {
            torch = asHalf.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        }
        ByteBuffer ours = ByteBuffer.allocate(2 * PATTERNS).order(ByteOrder.LITTLE_ENDIAN);

        ConversionLoss loss = WeightDecoder.decode(DType.BF16, everyBfloat16(), DataType.FLOAT16, ours,
                PATTERNS);

        long clamped = 0;
        long flushed = 0;
        for (int bits = 0; bits < PATTERNS; bits++) {
            short expected = torch.getShort(2 * bits);
            short actual = ours.getShort(2 * bits);
            float value = values[bits];
            if (Float.isNaN(value)) {
                assertThat(Float.isNaN(HalfPrecision.f16ToFloat(actual))).as("NaN pattern %04x", bits).isTrue();
            } else if (Float.isFinite(value) && Float.isInfinite(HalfPrecision.f16ToFloat(expected))) {
                clamped++;
                assertThat(HalfPrecision.f16ToFloat(actual)).as("bf16 %04x = %s", bits, value)
                        .isEqualTo(Math.copySign(HalfPrecision.FLOAT16_MAX, value));
            } else {
                assertThat(actual).as("bf16 %04x = %s", bits, value).isEqualTo(expected);
                if (value != 0 && HalfPrecision.f16ToFloat(expected) == 0) {
                    flushed++;
                }
            }
        }
        assertThat(clamped).as("finite bfloat16 values beyond float16").isGreaterThan(0);
        assertThat(flushed).as("non-zero bfloat16 values below float16's smallest").isGreaterThan(0);
        assertThat(loss).isEqualTo(new ConversionLoss(clamped, flushed));
    }

    @Test
    void bfloat16WidensToFloat32Exactly() {
        ByteBuffer widened = ByteBuffer.allocateDirect(4 * PATTERNS).order(ByteOrder.LITTLE_ENDIAN);

        ConversionLoss loss = WeightDecoder.decode(DType.BF16, everyBfloat16(), DataType.FLOAT32, widened,
                PATTERNS);

        assertThat(loss.isNone()).isTrue();
        for (int bits = 0; bits < PATTERNS; bits++) {
            assertThat(Float.floatToRawIntBits(widened.getFloat(4 * bits))).isEqualTo(bits << 16);
        }
    }

    @Test
    void float32ValuesBeyondFloat16AreClampedAndCounted() {
        float[] values = {1f, -70000f, 65519f, 1e-9f, Float.POSITIVE_INFINITY, 0f};
        ByteBuffer stored = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            stored.putFloat(value);
        }
        ByteBuffer narrowed = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);

        ConversionLoss loss = WeightDecoder.decode(DType.F32, stored.flip(), DataType.FLOAT16, narrowed,
                values.length);

        // 65519 rounds to 65504 as IEEE rounding does; -70000 would be infinite and is clamped; 1e-9 becomes 0
        assertThat(loss).isEqualTo(new ConversionLoss(1, 1));
        float[] back = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            back[i] = HalfPrecision.f16ToFloat(narrowed.getShort(2 * i));
        }
        assertThat(back).containsExactly(1f, -65504f, 65504f, 0f, Float.POSITIVE_INFINITY, 0f);
    }

    /** All 65,536 bfloat16 bit patterns, in order, as the little-endian bytes a checkpoint stores. */
    private static ByteBuffer everyBfloat16() {
        ByteBuffer bits = ByteBuffer.allocate(2 * PATTERNS).order(ByteOrder.LITTLE_ENDIAN);
        for (int pattern = 0; pattern < PATTERNS; pattern++) {
            bits.putShort((short) pattern);
        }
        return bits.flip();
    }
}
