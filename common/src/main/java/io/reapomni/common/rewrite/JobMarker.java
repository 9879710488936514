package io.reapomni.common.rewrite;

import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.Segment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * {@code .reap-job}: the id of the job writing into an S3 output prefix. S3 has no staging folder named after the job,
 * so this object, written before anything else, is what lets a restarted job recognise its own unfinished files and
 * lets every other job see that the prefix is taken. It is removed when the output is published.
 */
final class JobMarker {
    static final String KEY = ".reap-job";
    /** Job ids are short; anything longer is not a marker this code wrote. */
    private static final long MAX_BYTES = 1024;

    private JobMarker() {
    }

    static void write(ObjectStore store, String jobId) throws IOException {
        store.write(KEY, List.of(new Segment.Bytes(jobId.getBytes(StandardCharsets.UTF_8))), RewriteListener.NONE);
    }

    static Optional<String> read(ObjectStore store) throws IOException {
        if (!store.exists(KEY)) {
            return Optional.empty();
        }
        return Optional.of(new String(store.readAll(KEY, MAX_BYTES), StandardCharsets.UTF_8));
    }
}
