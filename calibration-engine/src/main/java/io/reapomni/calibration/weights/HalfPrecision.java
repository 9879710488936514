package io.reapomni.calibration.weights;

/**
 * Conversions between the 16-bit float formats of checkpoints and float32, done in Java because DJL's PyTorch engine
 * cannot hold bfloat16 at all (creating one aborts the JVM).
 */
public final class HalfPrecision {
    /** The largest finite float16, where values beyond float16's range are clamped. */
    public static final float FLOAT16_MAX = 65504f;
    /** The smallest magnitude that float16 rounding (to nearest even) takes to infinity. */
    public static final float FLOAT16_OVERFLOW = 65520f;
    private static final short FLOAT16_MAX_BITS = 0x7bff;

    private HalfPrecision() {
    }

    /** A bfloat16 is the upper half of a float32, so widening is a shift and exact. */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** IEEE 754 binary16 to float32; exact for every value, subnormals, infinities and NaN included. */
    public static float f16ToFloat(short bits) {
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            if (mantissa == 0) {
                return Float.intBitsToFloat(sign);
            }
            // subnormal half: value is mantissa * 2^-24, which float32 represents exactly
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }

    /**
     * float32 to IEEE 754 binary16, rounded to nearest even. A finite value beyond float16's range becomes
     * ±{@value #FLOAT16_MAX} rather than infinity (see {@link #isClamped}); infinities and NaN stay what they are.
     */
    public static short floatToF16(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xff;
        int mantissa = bits & 0x7fffff;
        if (exponent == 0xff) {
            return (short) (sign | 0x7c00 | (mantissa != 0 ? 0x200 | (mantissa >>> 13) : 0));
        }
        int halfExponent = exponent - 127 + 15;
        if (halfExponent >= 0x1f) {
            return (short) (sign | FLOAT16_MAX_BITS);
        }
        if (halfExponent <= 0) {
            if (halfExponent < -10) {
                return (short) sign;
            }
            // below float16's normal range: the implicit bit joins the mantissa and the result is subnormal
            int full = mantissa | 0x800000;
            int shift = 14 - halfExponent;
            return (short) (sign | roundShift(full, shift));
        }
        int half = (halfExponent << 10) | roundShift(mantissa, 13);
        // rounding may carry into the exponent; past the largest exponent it would be infinity
        return (short) (sign | Math.min(half, FLOAT16_MAX_BITS));
    }

    /**
     * Whether converting {@code value} to float16 clamped it: a finite value whose magnitude rounds beyond float16's
     * range ({@value #FLOAT16_OVERFLOW} and above), which IEEE rounding would have made infinite.
     */
    public static boolean isClamped(float value) {
        return Float.isFinite(value) && Math.abs(value) >= FLOAT16_OVERFLOW;
    }

    /** Whether converting {@code value} to float16 turned a non-zero value into zero. */
    public static boolean isFlushedToZero(float value) {
        return value != 0 && (floatToF16(value) & 0x7fff) == 0;
    }

    /** {@code bits >> shift}, rounded to nearest even. */
    private static int roundShift(int bits, int shift) {
        int kept = bits >>> shift;
        int rest = bits & ((1 << shift) - 1);
        int halfway = 1 << (shift - 1);
        return rest > halfway || (rest == halfway && (kept & 1) != 0) ? kept + 1 : kept;
    }
}
