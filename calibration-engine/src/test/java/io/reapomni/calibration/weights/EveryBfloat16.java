package io.reapomni.calibration.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** All 65,536 bfloat16 bit patterns, in order, as the little-endian bytes a checkpoint stores. */
final class EveryBfloat16 {
    static final int PATTERNS = 1 << 16;

    private EveryBfloat16() {
    }

    /** The patterns' bytes, from position 0 to the limit. */
    static ByteBuffer bytes() {
        ByteBuffer bits = ByteBuffer.allocate(2 * PATTERNS).order(ByteOrder.LITTLE_ENDIAN);
        for (int pattern = 0; pattern < PATTERNS; pattern++) {
            bits.putShort((short) pattern);
        }
        return bits.flip();
    }
}
