package io.reapomni.calibration.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.reapomni.calibration.TestDevice;
import io.reapomni.common.safetensors.DType;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The device's conversion of bfloat16 bits against the host decoder's, for every bfloat16 value. */
class DeviceConversionTest {
    private static final int PATTERNS = EveryBfloat16.PATTERNS;
    /** float16 values that sit between the converted ranges and must come through untouched. */
    private static final int UNTOUCHED = 100;

    @Test
    void everyBfloat16BecomesWhatTheHostDecoderMakesOfItAndTheLossIsCountedOnTheDevice() {
        ByteBuffer bits = EveryBfloat16.bytes();
        ByteBuffer host = ByteBuffer.allocate(2 * PATTERNS).order(ByteOrder.LITTLE_ENDIAN);
        ConversionLoss hostLoss = WeightDecoder.decode(DType.BF16, bits, DataType.FLOAT16, host, PATTERNS);

        // the block: the first half of the patterns, float16 values to leave alone, the second half
        int half = PATTERNS / 2;
        ByteBuffer block = ByteBuffer.allocate(2 * (PATTERNS + UNTOUCHED)).order(ByteOrder.LITTLE_ENDIAN);
        block.put(bits.duplicate().limit(2 * half));
        for (int i = 0; i < UNTOUCHED; i++) {
            block.putShort(HalfPrecision.floatToF16(i - 50.5f));
        }
        block.put(bits.duplicate().position(2 * half));
        try (NDManager manager = TestDevice.newManager()) {
            NDArray onDevice = manager.create(block.flip(), new Shape(PATTERNS + UNTOUCHED), DataType.FLOAT16);
            // pieces far smaller than the ranges, so that a range is converted in several
            ConversionLoss deviceLoss = DeviceConversion.bfloat16BitsToFloat16(onDevice, List.of(
                    new DeviceConversion.ElementRange(0, half),
                    new DeviceConversion.ElementRange(half + UNTOUCHED, PATTERNS - half)), 1000);

            assertThat(deviceLoss).isEqualTo(hostLoss);
            assertThat(hostLoss.clamped()).isPositive();
            assertThat(hostLoss.flushedToZero()).isPositive();
            ByteBuffer converted = onDevice.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            for (int pattern = 0; pattern < PATTERNS; pattern++) {
                int at = pattern < half ? pattern : pattern + UNTOUCHED;
                short expected = host.getShort(2 * pattern);
                short actual = converted.getShort(2 * at);
                if (Float.isNaN(HalfPrecision.f16ToFloat(expected))) {
                    assertThat(HalfPrecision.f16ToFloat(actual)).as("NaN pattern %04x", pattern).isNaN();
                } else {
                    assertThat(actual).as("bf16 %04x", pattern).isEqualTo(expected);
                }
            }
            for (int i = 0; i < UNTOUCHED; i++) {
                assertThat(HalfPrecision.f16ToFloat(converted.getShort(2 * (half + i)))).isEqualTo(i - 50.5f);
            }
        }
    }

    @Test
    void rangesBeyondTheBlockAndBlocksOfAnotherShapeAreRefused() {
        try (NDManager manager = TestDevice.newManager()) {
            NDArray block = manager.zeros(new Shape(10), DataType.FLOAT16);
            assertThatThrownBy(() -> DeviceConversion.bfloat16BitsToFloat16(block,
                    List.of(new DeviceConversion.ElementRange(8, 3))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[8, 11)");
            assertThatThrownBy(() -> DeviceConversion.bfloat16BitsToFloat16(manager.zeros(new Shape(10)),
                    List.of(new DeviceConversion.ElementRange(0, 1))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("float16");
        }
    }
}
