package io.reapomni.calibration.weights;

import io.reapomni.common.safetensors.DType;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HalfPrecisionTest {

    @Test
    void bf16IsTheUpperHalfOfAFloat() {
        assertThat(HalfPrecision.bf16ToFloat((short) 0x3f80)).isEqualTo(1.0f);
        assertThat(HalfPrecision.bf16ToFloat((short) 0xc040)).isEqualTo(-3.0f);
        assertThat(HalfPrecision.bf16ToFloat((short) 0x3e20)).isEqualTo(0.15625f);
    }

    @Test
    void f16DecodesNormalsSubnormalsAndSpecials() {
        assertThat(HalfPrecision.f16ToFloat((short) 0x3c00)).isEqualTo(1.0f);
        assertThat(HalfPrecision.f16ToFloat((short) 0xc000)).isEqualTo(-2.0f);
        assertThat(HalfPrecision.f16ToFloat((short) 0x7bff)).isEqualTo(65504f);
        assertThat(HalfPrecision.f16ToFloat((short) 0x0001)).isEqualTo((float) Math.pow(2, -24));
        assertThat(HalfPrecision.f16ToFloat((short) 0x8000)).isEqualTo(-0.0f);
        assertThat(HalfPrecision.f16ToFloat((short) 0x7c00)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(HalfPrecision.f16ToFloat((short) 0x7e00)).isNaN();
    }

    @Test
    void decoderReadsLittleEndianBf16() {
        ByteBuffer bytes = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0x3f80)
                .putShort((short) 0xbf00).flip();
        assertThat(TensorDecoder.toFloats(DType.BF16, bytes, 2)).containsExactly(1.0f, -0.5f);
    }

    @Test
    void decoderRefusesIntegerTensorsAndShortData() {
        assertThatThrownBy(() -> TensorDecoder.toFloats(DType.I64, ByteBuffer.allocate(8), 1))
                .hasMessageContaining("I64");
        assertThatThrownBy(() -> TensorDecoder.toFloats(DType.F32, ByteBuffer.allocate(4), 2))
                .hasMessageContaining("need 8 bytes");
    }
}
