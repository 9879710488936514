package io.reapomni.devtools.synthetic;

import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * {@code length} bytes of a pattern block read cyclically from a start that depends on the tensor, so that every
 * tensor gets its own bytes without generating them anew. The start is kept even so bf16 pairs stay aligned.
 */
final class PatternStream extends InputStream {
    private final ByteBuffer pattern;
    private long remaining;
    private int position;

    PatternStream(ByteBuffer pattern, int seed, long length) {
        this.pattern = pattern;
        this.remaining = length;
        this.position = Math.floorMod(seed, pattern.capacity()) & ~1;
    }

    @Override
    public int read() {
        if (remaining == 0) {
            return -1;
        }
        int value = pattern.get(position) & 0xFF;
        advance(1);
        return value;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        if (remaining == 0) {
            return -1;
        }
        int count = (int) Math.min(Math.min(length, remaining), pattern.capacity() - position);
        pattern.slice(position, count).get(buffer, offset, count);
        advance(count);
        return count;
    }

    private void advance(int count) {
        remaining -= count;
        position = (position + count) % pattern.capacity();
    }
}
