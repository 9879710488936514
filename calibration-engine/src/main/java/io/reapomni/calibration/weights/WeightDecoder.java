package io.reapomni.calibration.weights;

import ai.djl.ndarray.types.DataType;
import io.reapomni.common.calibration.ConversionLoss;
import io.reapomni.common.safetensors.DType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.ShortBuffer;

/**
 * Turns stored little-endian tensor bytes into the compute dtype's bytes, straight from one buffer into another,
 * through tables of all 65,536 values of a 16-bit format: bfloat16 to float16 exact where float16 can hold the value,
 * rounded to nearest even below its normal range, clamped above it and counted; bfloat16 and float16 to float32
 * exactly. Works in bulk chunks so that the buffers are read and written a few kilobytes at a time.
 */
final class WeightDecoder {
    private static final int CHUNK = 1 << 13;
    private static final short[] BF16_TO_F16 = new short[1 << 16];
    /** Per bfloat16 bit pattern: 0 converted faithfully, 1 clamped, 2 flushed to zero. */
    private static final byte[] BF16_LOSS = new byte[1 << 16];
    private static final byte CLAMPED = 1;
    private static final byte FLUSHED = 2;
    /** Every float16 pattern widened exactly (bfloat16 widens by a shift, which the JIT vectorises). */
    private static final float[] F16_TO_F32 = new float[1 << 16];

    static {
        for (int bits = 0; bits < (1 << 16); bits++) {
            float value = HalfPrecision.bf16ToFloat((short) bits);
            F16_TO_F32[bits] = HalfPrecision.f16ToFloat((short) bits);
            BF16_TO_F16[bits] = HalfPrecision.floatToF16(value);
            BF16_LOSS[bits] = HalfPrecision.isClamped(value) ? CLAMPED
                    : HalfPrecision.isFlushedToZero(value) ? FLUSHED : 0;
        }
    }

    private WeightDecoder() {
    }

    /** Whether stored {@code source} elements can be decoded into {@code target}. */
    static boolean supports(DType source, DataType target) {
        return (target == DataType.FLOAT16 || target == DataType.FLOAT32)
                && (source == DType.BF16 || source == DType.F16 || source == DType.F32);
    }

    /**
     * Decodes {@code count} elements from {@code source}'s position into {@code target}'s position; neither buffer's
     * position moves.
     *
     * @throws IllegalArgumentException for a pair that {@link #supports} refuses, or buffers too short
     */
    static ConversionLoss decode(DType stored, ByteBuffer source, DataType type, ByteBuffer target, int count) {
        if (!supports(stored, type)) {
            throw new IllegalArgumentException("cannot decode " + stored + " weights into " + type);
        }
        ByteBuffer in = source.slice().order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer out = target.slice().order(ByteOrder.LITTLE_ENDIAN);
        requireBytes(in, (long) count * stored.byteSize(), "stored " + stored);
        requireBytes(out, (long) count * type.getNumOfBytes(), type.toString());
        if (type == DataType.FLOAT16) {
            return switch (stored) {
                case BF16 -> bf16ToF16(in.asShortBuffer(), out.asShortBuffer(), count);
                case F16 -> copy(in, out, count * 2);
                default -> f32ToF16(in.asFloatBuffer(), out.asShortBuffer(), count);
            };
        }
        return switch (stored) {
            case BF16 -> bf16ToF32(in.asShortBuffer(), out.asIntBuffer(), count);
            case F16 -> widen(in.asShortBuffer(), out.asFloatBuffer(), count, F16_TO_F32);
            default -> copy(in, out, count * 4);
        };
    }

    private static ConversionLoss bf16ToF16(ShortBuffer in, ShortBuffer out, int count) {
        short[] chunk = new short[Math.min(CHUNK, count)];
        long clamped = 0;
        long flushed = 0;
        for (int done = 0; done < count; done += chunk.length) {
            int length = Math.min(chunk.length, count - done);
            in.get(chunk, 0, length);
            for (int i = 0; i < length; i++) {
                int bits = chunk[i] & 0xffff;
                byte loss = BF16_LOSS[bits];
                if (loss != 0) {
                    if (loss == CLAMPED) {
                        clamped++;
                    } else {
                        flushed++;
                    }
                }
                chunk[i] = BF16_TO_F16[bits];
            }
            out.put(chunk, 0, length);
        }
        return new ConversionLoss(clamped, flushed);
    }

    /** bfloat16 is the top half of a float32: its bits shifted up are the float32's, exactly. */
    private static ConversionLoss bf16ToF32(ShortBuffer in, IntBuffer out, int count) {
        short[] stored = new short[Math.min(CHUNK, count)];
        int[] widened = new int[stored.length];
        for (int done = 0; done < count; done += stored.length) {
            int length = Math.min(stored.length, count - done);
            in.get(stored, 0, length);
            for (int i = 0; i < length; i++) {
                widened[i] = stored[i] << 16;
            }
            out.put(widened, 0, length);
        }
        return ConversionLoss.NONE;
    }

    private static ConversionLoss widen(ShortBuffer in, FloatBuffer out, int count, float[] table) {
        short[] stored = new short[Math.min(CHUNK, count)];
        float[] widened = new float[stored.length];
        for (int done = 0; done < count; done += stored.length) {
            int length = Math.min(stored.length, count - done);
            in.get(stored, 0, length);
            for (int i = 0; i < length; i++) {
                widened[i] = table[stored[i] & 0xffff];
            }
            out.put(widened, 0, length);
        }
        return ConversionLoss.NONE;
    }

    private static ConversionLoss f32ToF16(FloatBuffer in, ShortBuffer out, int count) {
        float[] stored = new float[Math.min(CHUNK, count)];
        short[] narrowed = new short[stored.length];
        long clamped = 0;
        long flushed = 0;
        for (int done = 0; done < count; done += stored.length) {
            int length = Math.min(stored.length, count - done);
            in.get(stored, 0, length);
            for (int i = 0; i < length; i++) {
                float value = stored[i];
                narrowed[i] = HalfPrecision.floatToF16(value);
                if (HalfPrecision.isClamped(value)) {
                    clamped++;
                } else if (HalfPrecision.isFlushedToZero(value)) {
                    flushed++;
                }
            }
            out.put(narrowed, 0, length);
        }
        return new ConversionLoss(clamped, flushed);
    }

    private static ConversionLoss copy(ByteBuffer in, ByteBuffer out, int bytes) {
        out.put(in.limit(bytes));
        return ConversionLoss.NONE;
    }

    private static void requireBytes(ByteBuffer buffer, long needed, String what) {
        if (buffer.remaining() < needed) {
            throw new IllegalArgumentException(what + " needs " + needed + " bytes, the buffer has "
                    + buffer.remaining());
        }
    }
}
