package io.reapomni.calibration.weights;

/**
 * Conversions from the 16-bit float formats of checkpoints to float32, done in Java because DJL's PyTorch engine
 * cannot hold bfloat16 at all (creating one aborts the JVM).
 */
public final class HalfPrecision {
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
}
