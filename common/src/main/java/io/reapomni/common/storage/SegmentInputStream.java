package io.reapomni.common.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.List;

/**
 * The bytes of a list of segments, one after the other. Each range is opened only when the previous one is used up,
 * so at most one source stream (one connection) is open at a time, however many segments there are.
 */
final class SegmentInputStream extends InputStream {

    private final Iterator<Segment> pending;
    private InputStream current = InputStream.nullInputStream();

    SegmentInputStream(List<Segment> segments) {
        this.pending = List.copyOf(segments).iterator();
    }

    static InputStream open(Segment segment) throws IOException {
        if (segment instanceof Segment.Bytes bytes) {
            return new ByteArrayInputStream(bytes.content());
        }
        Segment.Range range = (Segment.Range) segment;
        return range.store().read(range.key(), range.offset(), range.length());
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (true) {
            int read = current.read(buffer, offset, length);
            if (read >= 0) {
                return read;
            }
            current.close();
            if (!pending.hasNext()) {
                current = InputStream.nullInputStream();
                return -1;
            }
            current = open(pending.next());
        }
    }

    @Override
    public void close() throws IOException {
        current.close();
    }
}
