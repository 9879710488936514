package io.reapomni.calibration.weights;

import io.reapomni.common.safetensors.DType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Turns the little-endian bytes of one stored tensor into float32 values. */
public final class TensorDecoder {
    private TensorDecoder() {
    }

    /**
     * Decodes {@code count} elements of {@code dtype} from {@code bytes} (read from its position on).
     *
     * @throws IllegalArgumentException for a dtype that is not a float type the engine reads, or too few bytes
     */
    public static float[] toFloats(DType dtype, ByteBuffer bytes, int count) {
        ByteBuffer in = bytes.slice().order(ByteOrder.LITTLE_ENDIAN);
        long needed = (long) count * dtype.byteSize();
        if (in.remaining() < needed) {
            throw new IllegalArgumentException(count + " " + dtype + " elements need " + needed + " bytes, got "
                    + in.remaining());
        }
        float[] out = new float[count];
        switch (dtype) {
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    out[i] = HalfPrecision.bf16ToFloat(in.getShort());
                }
            }
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    out[i] = HalfPrecision.f16ToFloat(in.getShort());
                }
            }
            case F32 -> in.asFloatBuffer().get(out);
            case F64 -> {
                for (int i = 0; i < count; i++) {
                    out[i] = (float) in.getDouble();
                }
            }
            default -> throw new IllegalArgumentException("cannot read " + dtype + " tensors as float weights");
        }
        return out;
    }
}
