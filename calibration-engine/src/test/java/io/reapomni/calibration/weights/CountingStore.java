package io.reapomni.calibration.weights;

import io.reapomni.common.storage.ForwardingStore;
import io.reapomni.common.storage.ObjectStore;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A store that counts its ranged reads and the bytes they ask for, and records each range, to show what a caller
 * reads. Not a local store: readers go through its streams, as they do against S3.
 */
public final class CountingStore extends ForwardingStore {
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final List<Range> ranges = new CopyOnWriteArrayList<>();

    /** One ranged read: {@code length} bytes of {@code key} from {@code offset}. */
    public record Range(String key, long offset, long length) {
        public boolean covers(String otherKey, long start, long end) {
            return key.equals(otherKey) && offset <= start && end <= offset + length;
        }
    }

    public CountingStore(ObjectStore delegate) {
        super(delegate);
    }

    @Override
    public InputStream read(String key, long offset, long length) throws IOException {
        reads.incrementAndGet();
        bytes.addAndGet(length);
        ranges.add(new Range(key, offset, length));
        return super.read(key, offset, length);
    }

    public long reads() {
        return reads.get();
    }

    public long bytes() {
        return bytes.get();
    }

    public List<Range> ranges() {
        return List.copyOf(ranges);
    }
}
