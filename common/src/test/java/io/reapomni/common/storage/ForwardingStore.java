package io.reapomni.common.storage;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Another kind of store over the same objects: ranges from it cannot be copied in place by anyone. Tests extend it
 * to change one kind of call, such as failing a read.
 */
public class ForwardingStore implements ObjectStore {
    private final ObjectStore delegate;

    public ForwardingStore(ObjectStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public StoreLocation location() {
        return delegate.location();
    }

    @Override
    public long size(String key) throws IOException {
        return delegate.size(key);
    }

    @Override
    public boolean exists(String key) throws IOException {
        return delegate.exists(key);
    }

    @Override
    public List<ObjectInfo> list() throws IOException {
        return delegate.list();
    }

    @Override
    public InputStream read(String key, long offset, long length) throws IOException {
        return delegate.read(key, offset, length);
    }

    @Override
    public byte[] readAll(String key, long maxBytes) throws IOException {
        return delegate.readAll(key, maxBytes);
    }

    @Override
    public void write(String key, List<Segment> segments, CopyListener listener) throws IOException {
        delegate.write(key, segments, listener);
    }

    @Override
    public boolean writeIfAbsent(String key, byte[] content) throws IOException {
        return delegate.writeIfAbsent(key, content);
    }

    @Override
    public void delete(String key) throws IOException {
        delegate.delete(key);
    }

    @Override
    public ObjectStore child(String prefix) throws IOException {
        return new ForwardingStore(delegate.child(prefix));
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
