package io.reapomni.common.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A place where a checkpoint's files live: a local folder or an S3 bucket prefix. Keys are relative to that root
 * ({@code "config.json"}, {@code "model-00001-of-00015.safetensors"}) and are validated by {@link ObjectKeys}, so that
 * no request reaches outside the root that the store was opened on.
 */
public interface ObjectStore extends AutoCloseable {

    /** Where this store points, for messages and reports; never contains credentials. */
    StoreLocation location();

    /** Size in bytes of an existing object; {@link NoSuchObjectException} when it does not exist. */
    long size(String key) throws IOException;

    boolean exists(String key) throws IOException;

    /** All objects under the root (recursively), keys relative to the root, sorted by key. */
    List<ObjectInfo> list() throws IOException;

    /** A stream over {@code length} bytes starting at {@code offset}; the caller closes it. */
    InputStream read(String key, long offset, long length) throws IOException;

    /**
     * The local file that holds an existing object, validated like a key, for readers that map or read it without a
     * stream (the calibration engine maps weight shards); empty for stores that are not local files.
     */
    default Optional<Path> localFile(String key) throws IOException {
        return Optional.empty();
    }

    /** The whole object, for small files (configs, indexes); refuses objects larger than {@code maxBytes}. */
    default byte[] readAll(String key, long maxBytes) throws IOException {
        long size = size(key);
        if (size > maxBytes) {
            throw new IOException("object " + key + " in " + location() + " has " + size
                    + " bytes, more than the " + maxBytes + " allowed for reading it whole");
        }
        try (InputStream in = read(key, 0, size)) {
            return in.readAllBytes();
        }
    }

    /**
     * Writes an object assembled from segments: literal bytes and byte ranges of objects in this or another store.
     * Ranges are copied the cheapest way the two stores allow (kernel-side between local files, server side between
     * objects of one S3 endpoint, streamed otherwise); nothing is held in memory beyond a bounded buffer.
     * The object appears complete or not at all.
     */
    void write(String key, List<Segment> segments, CopyListener listener) throws IOException;

    /**
     * Writes a small object only when no object has that key, atomically: of two writers racing for one key, exactly
     * one gets true. Returns false, writing nothing, when the key exists.
     */
    boolean writeIfAbsent(String key, byte[] content) throws IOException;

    void delete(String key) throws IOException;

    /** A store rooted at a sub-prefix of this one (validated like a key). */
    ObjectStore child(String prefix) throws IOException;

    @Override
    void close() throws IOException;
}
