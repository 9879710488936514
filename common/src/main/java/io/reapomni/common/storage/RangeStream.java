package io.reapomni.common.storage;

import java.io.IOException;
import java.io.InputStream;

/**
 * A stream over the {@code length} bytes from {@code offset} of something, read in chunks: it ends after the last
 * byte, and a source that gives out earlier is an error the subclass names (never a silently short read).
 */
public abstract class RangeStream extends InputStream {
    private final long offset;
    private final long length;
    private long position;

    protected RangeStream(long offset, long length) {
        this.offset = offset;
        this.length = length;
    }

    /** Where the range starts in its source. */
    protected final long offset() {
        return offset;
    }

    protected final long length() {
        return length;
    }

    /**
     * Reads at most {@code wanted} (at least 1) bytes, the next after {@code position} bytes of the range, into
     * {@code buffer} at {@code start}; returns how many (at least 1), or throws when the source cannot give them.
     */
    protected abstract int readChunk(byte[] buffer, int start, int wanted, long position) throws IOException;

    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public final int read(byte[] buffer, int start, int count) throws IOException {
        if (count == 0) {
            return 0;
        }
        if (position == length) {
            return -1;
        }
        int read = readChunk(buffer, start, (int) Math.min(count, length - position), position);
        position += read;
        return read;
    }
}
