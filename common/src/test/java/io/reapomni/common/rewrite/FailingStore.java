package io.reapomni.common.rewrite;

import io.reapomni.common.storage.CopyListener;
import io.reapomni.common.storage.ForwardingStore;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.Segment;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A source store whose {@code failingRead}-th ranged read fails, as a network or disk would halfway through a job.
 * Being another kind of store, its ranges are streamed through the process rather than copied in place.
 */
final class FailingStore extends ForwardingStore {
    static final String FAILURE = "injected read failure";

    private final int failingRead;
    private final AtomicInteger reads = new AtomicInteger();

    FailingStore(ObjectStore delegate, int failingRead) {
        super(delegate);
        this.failingRead = failingRead;
    }

    int reads() {
        return reads.get();
    }

    @Override
    public InputStream read(String key, long offset, long length) throws IOException {
        if (reads.incrementAndGet() == failingRead) {
            throw new IOException(FAILURE + " (read " + failingRead + ", of " + key + ")");
        }
        return super.read(key, offset, length);
    }

    @Override
    public void write(String key, List<Segment> segments, CopyListener listener) {
        throw new UnsupportedOperationException("a source is only read");
    }

    @Override
    public void delete(String key) {
        throw new UnsupportedOperationException("a source is only read");
    }
}
