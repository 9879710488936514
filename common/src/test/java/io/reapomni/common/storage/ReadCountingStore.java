package io.reapomni.common.storage;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A store that counts the reads of each key (whole or ranged), so that a test can tell what was read how often. */
public class ReadCountingStore extends ForwardingStore {
    private final Map<String, Integer> reads = new ConcurrentHashMap<>();

    public ReadCountingStore(ObjectStore store) {
        super(store);
    }

    /** Reads so far, by key. */
    public Map<String, Integer> reads() {
        return Map.copyOf(reads);
    }

    @Override
    public InputStream read(String key, long offset, long length) throws IOException {
        reads.merge(key, 1, Integer::sum);
        return super.read(key, offset, length);
    }

    @Override
    public byte[] readAll(String key, long maxBytes) throws IOException {
        reads.merge(key, 1, Integer::sum);
        return super.readAll(key, maxBytes);
    }
}
