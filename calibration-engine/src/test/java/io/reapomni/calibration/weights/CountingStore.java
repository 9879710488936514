package io.reapomni.calibration.weights;

import io.reapomni.common.storage.ForwardingStore;
import io.reapomni.common.storage.ObjectStore;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicLong;

/** A store that counts its ranged reads and the bytes they ask for, to show what a caller reads. */
public final class CountingStore extends ForwardingStore {
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

    public CountingStore(ObjectStore delegate) {
        super(delegate);
    }

    @Override
    public InputStream read(String key, long offset, long length) throws IOException {
        reads.incrementAndGet();
        bytes.addAndGet(length);
        return super.read(key, offset, length);
    }

    public long reads() {
        return reads.get();
    }

    public long bytes() {
        return bytes.get();
    }
}
