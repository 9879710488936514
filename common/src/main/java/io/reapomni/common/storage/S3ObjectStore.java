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
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;
import io.minio.messages.ListMultipartUploadsResult;
import io.minio.messages.Upload;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Objects under a prefix of an S3 bucket, through the MinIO SDK. Small objects are written with one PUT; larger ones
 * as a multipart upload (completed, or aborted on any failure) in which ranges of objects on the same endpoint are
 * copied by the server and everything else is streamed in parts of {@link #STREAMED_PART_SIZE} bytes.
 * <p>
 * Every request is retried on transient failures ({@link S3Retry}): reads, ranged reads (resumed where a dropped
 * connection left them), stats, listings, PUTs, each part, each server-side copy, the completion and the abort. All of
 * them are idempotent but two, which are made safe: a completion whose answer was lost finds its upload gone and
 * checks the object instead, and an upload started twice leaves an abandoned upload that {@link #abortUploadsStartedBefore}
 * removes.
 */
public final class S3ObjectStore implements ObjectStore {

    /** Objects up to this size are sent in one PUT; the SDK holds such an object in memory while sending it. */
    public static final long SINGLE_PUT_LIMIT = 16L << 20;
    /** The SDK reads a whole part into memory before sending it, so this bounds the memory a write holds. */
    public static final long STREAMED_PART_SIZE = 16L << 20;

    private static final MultipartPlanner PLANNER = MultipartPlanner.forS3(STREAMED_PART_SIZE);
    private static final String NO_SUCH_UPLOAD = "NoSuchUpload";
    private static final String PRECONDITION_FAILED = "PreconditionFailed";

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
        List<ObjectInfo> objects = call("listing", null, () -> {
            List<ObjectInfo> found = new ArrayList<>();
            for (Result<Item> result : connection.client().listObjects(args.build())) {
                Item item = result.get();
                if (!item.isDir() && !item.objectName().endsWith("/")) {
                    found.add(new ObjectInfo(item.objectName().substring(listed.length()), item.size()));
                }
            }
            return found;
        });
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
        RetryingRangeStream.Opener opener = (from, count) -> connection.client().getObject(
                GetObjectArgs.builder().bucket(bucket).object(name).offset(from).length(count).build()).get();
        GetObjectResponse response = call("read", key, () -> (GetObjectResponse) opener.open(offset, length));
        String returned = response.headers().get("Content-Length");
        if (returned == null || Long.parseLong(returned) != length) {
            response.close();
            throw new EOFException("range " + offset + "+" + length + " exceeds object " + key + " in " + location
                    + " (the server returned " + returned + " bytes)");
        }
        return new RetryingRangeStream(connection.retry(), request("read", key), failure -> translate(failure,
                "read", key), opener, offset, length, response);
    }

    @Override
    public void write(String key, List<Segment> segments, CopyListener listener) throws IOException {
        String name = objectName(key);
        long total = segments.stream().mapToLong(Segment::length).sum();
        if (total <= SINGLE_PUT_LIMIT) {
            putWhole(key, name, segments, total);
            listener.streamed(total);
        } else {
            new MultipartUpload(key, name, total, listener).run(PLANNER.plan(segments, this::copyableServerSide));
        }
    }

    /**
     * A PUT with {@code If-None-Match: *}, which S3, MinIO and S3Proxy answer with 412 when the key exists: the server
     * decides, so of two writers racing for one key exactly one succeeds. A PUT retried after its answer was lost
     * finds its own object there and reports false: the caller reads the object to tell whose it is.
     */
    @Override
    public boolean writeIfAbsent(String key, byte[] content) throws IOException {
        String name = objectName(key);
        try {
            call("conditional write", key, () -> connection.client().putObject(PutObjectArgs.builder()
                    .bucket(bucket).object(name).headers(Map.of("If-None-Match", "*"))
                    .stream(new ByteArrayInputStream(content), content.length, -1).build()).get());
            return true;
        } catch (IOException e) {
            if (hasCode(e, PRECONDITION_FAILED)) {
                return false;
            }
            throw e;
        }
    }

    /** Deleting an object that does not exist is not an error (S3 itself answers success). */
    @Override
    public void delete(String key) throws IOException {
        String name = objectName(key);
        call("delete", key, () -> connection.client().removeObject(
                RemoveObjectArgs.builder().bucket(bucket).object(name).build()).get());
    }

    @Override
    public ObjectStore child(String childPrefix) throws IOException {
        ObjectKeys.validate(childPrefix);
        return new S3ObjectStore(connection.retain(), bucket, prefix.isEmpty() ? childPrefix : prefix + "/" + childPrefix);
    }

    /**
     * Aborts the multipart uploads under this store's root that were started before {@code cutoff}: uploads of
     * writers that were killed (or whose start was retried) and would keep their parts, and their cost, forever.
     *
     * @return the keys (relative to the root) of the uploads aborted
     */
    public List<String> abortUploadsStartedBefore(Instant cutoff) throws IOException {
        String listed = prefix.isEmpty() ? null : prefix + "/";
        List<String> aborted = new ArrayList<>();
        String keyMarker = null;
        String uploadIdMarker = null;
        while (true) {
            String keys = keyMarker;
            String ids = uploadIdMarker;
            ListMultipartUploadsResult page = call("listing of multipart uploads", null, () -> connection.client()
                    .listMultipartUploadsAsync(bucket, null, null, null, keys, null, listed, ids, null, null).get()
                    .result());
            for (Upload upload : page.uploads()) {
                if (upload.initiated() != null && upload.initiated().toInstant().isBefore(cutoff)) {
                    String key = listed == null ? upload.objectName() : upload.objectName().substring(listed.length());
                    abort(key, upload.objectName(), upload.uploadId(), connection.retry());
                    aborted.add(key);
                }
            }
            if (!page.isTruncated()) {
                return aborted;
            }
            keyMarker = page.nextKeyMarker();
            uploadIdMarker = page.nextUploadIdMarker();
        }
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
                StatObjectArgs.builder().bucket(bucket).object(name).build()).get());
    }

    private void putWhole(String key, String name, List<Segment> segments, long total) throws IOException {
        // A part size of at least the object's size makes the SDK send one PUT rather than a multipart upload.
        long partSize = Math.max(total, MultipartPlanner.S3_MIN_PART_SIZE);
        call("write", key, () -> {
            // Each attempt reads its segments anew.
            try (InputStream content = new SegmentInputStream(segments)) {
                return connection.client().putObject(PutObjectArgs.builder().bucket(bucket).object(name)
                        .stream(content, total, partSize).build()).get();
            }
        });
    }

    private boolean copyableServerSide(Segment.Range range) {
        return range.store() instanceof S3ObjectStore source
                && source.connection.settings().sameEndpointAndCredentials(connection.settings());
    }

    private String objectName(String key) {
        ObjectKeys.validate(key);
        return prefix.isEmpty() ? key : prefix + "/" + key;
    }

    private <T> T call(String action, String key, S3Retry.Attempt<T> attempt) throws IOException {
        return connection.retry().call(request(action, key), attempt, failure -> translate(failure, action, key));
    }

    private String request(String action, String key) {
        return "S3 " + action + " of " + (key == null ? location.toString() : key + " in " + location);
    }

    private IOException translate(Throwable failure, String action, String key) {
        return S3Errors.translate(failure, connection.settings(), action, location, key);
    }

    /** Whether the SDK's answer behind {@code failure} carries the S3 error code {@code code}. */
    private static boolean hasCode(IOException failure, String code) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ErrorResponseException response && code.equals(response.errorResponse().code())) {
                return true;
            }
        }
        return false;
    }

    /** Aborts an upload; one already gone (aborted or completed by an earlier attempt) is not an error. */
    private void abort(String key, String name, String uploadId, S3Retry retry) throws IOException {
        try {
            retry.call(request("abort of a multipart upload", key), () -> connection.client()
                            .abortMultipartUploadAsync(bucket, null, name, uploadId, null, null).get(),
                    failure -> translate(failure, "abort of a multipart upload", key));
        } catch (IOException e) {
            if (!hasCode(e, NO_SUCH_UPLOAD)) {
                throw e;
            }
        }
    }

    /** The version of a source object that copy parts read: the server refuses the copy if the object changed. */
    private record SourceVersion(long size, String etag) {
    }

    /** One multipart upload: parts in plan order, then complete; abort on any failure. */
    private final class MultipartUpload {
        private final String key;
        private final String name;
        private final long total;
        private final CopyListener listener;
        private final Map<String, SourceVersion> sources = new HashMap<>();

        MultipartUpload(String key, String name, long total, CopyListener listener) {
            this.key = key;
            this.name = name;
            this.total = total;
            this.listener = listener;
        }

        void run(List<MultipartPlanner.Part> plan) throws IOException {
            String uploadId = call("start of a multipart upload", key, () -> connection.client()
                    .createMultipartUploadAsync(bucket, null, name, null, null).get()).result().uploadId();
            try {
                io.minio.messages.Part[] uploaded = new io.minio.messages.Part[plan.size()];
                for (int i = 0; i < plan.size(); i++) {
                    uploaded[i] = upload(uploadId, i + 1, plan.get(i));
                }
                complete(uploadId, uploaded);
            } catch (IOException | RuntimeException | Error e) {
                abortAfter(uploadId, e);
                throw e;
            }
        }

        private io.minio.messages.Part upload(String uploadId, int number, MultipartPlanner.Part part) throws IOException {
            if (part instanceof MultipartPlanner.CopyPart copy) {
                Multimap<String, String> headers = copyHeaders(copy.range());
                String etag = call("server-side copy of part " + number, key, () -> connection.client()
                        .uploadPartCopyAsync(bucket, null, name, uploadId, number, headers, null).get())
                        .result().etag();
                listener.copiedInPlace(part.length());
                return new io.minio.messages.Part(number, etag);
            }
            MultipartPlanner.StreamedPart streamed = (MultipartPlanner.StreamedPart) part;
            String etag = call("upload of part " + number, key, () -> {
                // Each attempt reads the part's pieces anew.
                try (InputStream content = new SegmentInputStream(streamed.pieces())) {
                    return connection.client().uploadPartAsync(bucket, null, name, content, part.length(), uploadId,
                            number, null, null).get();
                }
            }).etag();
            listener.streamed(part.length());
            return new io.minio.messages.Part(number, etag);
        }

        /**
         * Completes the upload. When an attempt completed it but its answer was lost, the retry finds no such upload:
         * then the object, at its full size, is the proof that the first attempt succeeded.
         */
        private void complete(String uploadId, io.minio.messages.Part[] parts) throws IOException {
            try {
                call("completion of a multipart upload", key, () -> connection.client()
                        .completeMultipartUploadAsync(bucket, null, name, uploadId, parts, null, null).get());
            } catch (IOException e) {
                if (!hasCode(e, NO_SUCH_UPLOAD) || !completedEarlier()) {
                    throw e;
                }
            }
        }

        private boolean completedEarlier() throws IOException {
            try {
                return stat(key).size() == total;
            } catch (NoSuchObjectException missing) {
                return false;
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

        /**
         * Aborts the upload after {@code failure}. An interrupted thread (a service stopping) gets one attempt with
         * the interrupt held back, so that the stop is quick and still leaves no upload behind when the store answers.
         */
        private void abortAfter(String uploadId, Throwable failure) {
            boolean interrupted = Thread.interrupted();
            try {
                abort(key, name, uploadId, interrupted ? new S3Retry(RetrySettings.NONE) : connection.retry());
            } catch (IOException abortFailure) {
                failure.addSuppressed(abortFailure);
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
