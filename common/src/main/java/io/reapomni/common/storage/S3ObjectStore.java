package io.reapomni.common.storage;

import com.google.common.collect.ImmutableMultimap;
import com.google.common.collect.Multimap;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.ListObjectsArgs;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.S3Escaper;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.messages.Item;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Objects under a prefix of an S3 bucket, through the MinIO SDK. Small objects are written with one PUT; larger ones
 * as a multipart upload (completed, or aborted on any failure) in which ranges of objects on the same endpoint are
 * copied by the server and everything else is streamed in parts of {@link #STREAMED_PART_SIZE} bytes.
 */
public final class S3ObjectStore implements ObjectStore {

    /** Objects up to this size are sent in one PUT; the SDK holds such an object in memory while sending it. */
    public static final long SINGLE_PUT_LIMIT = 16L << 20;
    /** The SDK reads a whole part into memory before sending it, so this bounds the memory a write holds. */
    public static final long STREAMED_PART_SIZE = 16L << 20;

    private static final MultipartPlanner PLANNER = MultipartPlanner.forS3(STREAMED_PART_SIZE);

    private final S3Connection connection;
    private final String bucket;
    private final String prefix;
    private final StoreLocation.S3 location;
    private final AtomicBoolean closed = new AtomicBoolean();

    private S3ObjectStore(S3Connection connection, String bucket, String prefix) {
        this.connection = connection;
        this.bucket = BucketNames.validate(bucket);
        this.prefix = prefix.isEmpty() ? prefix : ObjectKeys.validate(prefix);
        this.location = new StoreLocation.S3(bucket, prefix);
    }

    /** A store over {@code location} with its own client, closed by {@link #close()}. Sends no request yet. */
    public static S3ObjectStore open(S3Settings settings, StoreLocation.S3 location) {
        return new S3ObjectStore(new S3Connection(settings), location.bucket(), location.prefix());
    }

    @Override
    public StoreLocation location() {
        return location;
    }

    @Override
    public long size(String key) throws IOException {
        return stat(key).size();
    }

    @Override
    public boolean exists(String key) throws IOException {
        try {
            stat(key);
            return true;
        } catch (NoSuchObjectException e) {
            return false;
        }
    }

    @Override
    public List<ObjectInfo> list() throws IOException {
        String listed = prefix.isEmpty() ? "" : prefix + "/";
        ListObjectsArgs.Builder args = ListObjectsArgs.builder().bucket(bucket).recursive(true);
        if (!listed.isEmpty()) {
            args.prefix(listed);
        }
        List<ObjectInfo> objects = new ArrayList<>();
        try {
            for (Result<Item> result : connection.client().listObjects(args.build())) {
                Item item = result.get();
                if (!item.isDir() && !item.objectName().endsWith("/")) {
                    objects.add(new ObjectInfo(item.objectName().substring(listed.length()), item.size()));
                }
            }
        } catch (Exception e) {
            throw S3Errors.translate(e, connection.settings(), "listing", location, null);
        }
        objects.sort(Comparator.comparing(ObjectInfo::key));
        return List.copyOf(objects);
    }

    @Override
    public InputStream read(String key, long offset, long length) throws IOException {
        String name = objectName(key);
        if (length == 0) {
            if (offset > size(key)) {
                throw new EOFException("range " + offset + "+0 lies past the end of " + key + " in " + location);
            }
            return InputStream.nullInputStream();
        }
        GetObjectResponse response = call("read", key, () -> connection.client().getObject(
                GetObjectArgs.builder().bucket(bucket).object(name).offset(offset).length(length).build()));
        String returned = response.headers().get("Content-Length");
        if (returned == null || Long.parseLong(returned) != length) {
            response.close();
            throw new EOFException("range " + offset + "+" + length + " exceeds object " + key + " in " + location
                    + " (the server returned " + returned + " bytes)");
        }
        return response;
    }

    @Override
    public void write(String key, List<Segment> segments, CopyListener listener) throws IOException {
        String name = objectName(key);
        long total = segments.stream().mapToLong(Segment::length).sum();
        if (total <= SINGLE_PUT_LIMIT) {
            putWhole(key, name, segments, total);
            listener.streamed(total);
        } else {
            new MultipartUpload(key, name, listener).run(PLANNER.plan(segments, this::copyableServerSide));
        }
    }

    /** Deleting an object that does not exist is not an error (S3 itself answers success). */
    @Override
    public void delete(String key) throws IOException {
        String name = objectName(key);
        call("delete", key, () -> connection.client().removeObject(
                RemoveObjectArgs.builder().bucket(bucket).object(name).build()));
    }

    @Override
    public ObjectStore child(String childPrefix) throws IOException {
        ObjectKeys.validate(childPrefix);
        return new S3ObjectStore(connection.retain(), bucket, prefix.isEmpty() ? childPrefix : prefix + "/" + childPrefix);
    }

    /** Closes the client when this is the last open store sharing it (a parent and its children share one). */
    @Override
    public void close() throws IOException {
        if (closed.compareAndSet(false, true)) {
            connection.release();
        }
    }

    @Override
    public String toString() {
        return "S3ObjectStore[" + location + " at " + connection.settings().endpoint() + "]";
    }

    private StatObjectResponse stat(String key) throws IOException {
        String name = objectName(key);
        return call("stat", key, () -> connection.client().statObject(
                StatObjectArgs.builder().bucket(bucket).object(name).build()));
    }

    private void putWhole(String key, String name, List<Segment> segments, long total) throws IOException {
        try (InputStream content = new SegmentInputStream(segments)) {
            // A part size of at least the object's size makes the SDK send one PUT rather than a multipart upload.
            long partSize = Math.max(total, MultipartPlanner.S3_MIN_PART_SIZE);
            call("write", key, () -> connection.client().putObject(
                    PutObjectArgs.builder().bucket(bucket).object(name).stream(content, total, partSize).build()));
        }
    }

    private boolean copyableServerSide(Segment.Range range) {
        return range.store() instanceof S3ObjectStore source
                && source.connection.settings().sameEndpointAndCredentials(connection.settings());
    }

    private String objectName(String key) {
        ObjectKeys.validate(key);
        return prefix.isEmpty() ? key : prefix + "/" + key;
    }

    private <T> T call(String action, String key, SdkCall<T> request) throws IOException {
        try {
            return request.send().get();
        } catch (Exception e) {
            throw S3Errors.translate(e, connection.settings(), action, location, key);
        }
    }

    @FunctionalInterface
    private interface SdkCall<T> {
        CompletableFuture<T> send() throws Exception;
    }

    /** The version of a source object that copy parts read: the server refuses the copy if the object changed. */
    private record SourceVersion(long size, String etag) {
    }

    /** One multipart upload: parts in plan order, then complete; abort on any failure. */
    private final class MultipartUpload {
        private final String key;
        private final String name;
        private final CopyListener listener;
        private final Map<String, SourceVersion> sources = new HashMap<>();

        MultipartUpload(String key, String name, CopyListener listener) {
            this.key = key;
            this.name = name;
            this.listener = listener;
        }

        void run(List<MultipartPlanner.Part> plan) throws IOException {
            String uploadId = call("start of a multipart upload", key, () -> connection.client()
                    .createMultipartUploadAsync(bucket, null, name, null, null)).result().uploadId();
            try {
                io.minio.messages.Part[] uploaded = new io.minio.messages.Part[plan.size()];
                for (int i = 0; i < plan.size(); i++) {
                    uploaded[i] = upload(uploadId, i + 1, plan.get(i));
                }
                call("completion of a multipart upload", key, () -> connection.client()
                        .completeMultipartUploadAsync(bucket, null, name, uploadId, uploaded, null, null));
            } catch (IOException | RuntimeException | Error e) {
                abort(uploadId, e);
                throw e;
            }
        }

        private io.minio.messages.Part upload(String uploadId, int number, MultipartPlanner.Part part) throws IOException {
            if (part instanceof MultipartPlanner.CopyPart copy) {
                String etag = call("server-side copy of part " + number, key, () -> connection.client()
                        .uploadPartCopyAsync(bucket, null, name, uploadId, number, copyHeaders(copy.range()), null))
                        .result().etag();
                listener.copiedInPlace(part.length());
                return new io.minio.messages.Part(number, etag);
            }
            MultipartPlanner.StreamedPart streamed = (MultipartPlanner.StreamedPart) part;
            try (InputStream content = new SegmentInputStream(streamed.pieces())) {
                String etag = call("upload of part " + number, key, () -> connection.client()
                        .uploadPartAsync(bucket, null, name, content, part.length(), uploadId, number, null, null))
                        .etag();
                listener.streamed(part.length());
                return new io.minio.messages.Part(number, etag);
            }
        }

        private Multimap<String, String> copyHeaders(Segment.Range range) throws IOException {
            S3ObjectStore source = (S3ObjectStore) range.store();
            String sourceName = source.objectName(range.key());
            SourceVersion version = sources.get(source.bucket + "/" + sourceName);
            if (version == null) {
                StatObjectResponse stat = source.stat(range.key());
                version = new SourceVersion(stat.size(), stat.etag());
                sources.put(source.bucket + "/" + sourceName, version);
            }
            if (range.offset() + range.length() > version.size()) {
                throw new EOFException("range " + range.offset() + "+" + range.length() + " exceeds object "
                        + range.key() + " in " + source.location + " of " + version.size() + " bytes");
            }
            // The ETag is sent quoted: S3Proxy refuses an unquoted one (412), MinIO and AWS accept both.
            return ImmutableMultimap.of(
                    "x-amz-copy-source", S3Escaper.encodePath(source.bucket + "/" + sourceName),
                    "x-amz-copy-source-range", "bytes=" + range.offset() + "-" + (range.offset() + range.length() - 1),
                    "x-amz-copy-source-if-match", "\"" + version.etag() + "\"");
        }

        private void abort(String uploadId, Throwable failure) {
            try {
                connection.client().abortMultipartUploadAsync(bucket, null, name, uploadId, null, null).get();
            } catch (Exception abortFailure) {
                failure.addSuppressed(S3Errors.translate(abortFailure, connection.settings(),
                        "abort of a multipart upload", location, key));
            }
        }
    }
}
