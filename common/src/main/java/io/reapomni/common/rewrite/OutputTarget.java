package io.reapomni.common.rewrite;

import io.reapomni.common.storage.LocalObjectStore;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.ObjectStores;
import io.reapomni.common.storage.S3Settings;
import io.reapomni.common.storage.StoreLocation;

import java.io.IOException;
import java.nio.file.Files;
import java.util.function.Supplier;

/**
 * Where a rewrite writes, so that a failed or interrupted job leaves no half-written model where a finished one is
 * expected. A local output is written into a hidden sibling folder and renamed into place when complete (one atomic
 * rename on the same filesystem). S3 has no rename, and copying tens of GB again to publish would double the job's
 * I/O, so an S3 output is written in place into an empty prefix with the files that make it a model (config, index)
 * and the manifest written last; a job that fails deletes what it wrote.
 */
public sealed interface OutputTarget extends AutoCloseable {

    /** The final location. */
    StoreLocation location();

    /** The store that the rewrite writes its files into. */
    ObjectStore staging();

    /** Makes the complete output visible under its final location. */
    void publish() throws IOException;

    /** Removes everything written so far; the final location is left as it was before the job. */
    void discard() throws IOException;

    @Override
    void close() throws IOException;

    /**
     * Opens the output of job {@code jobId}. An output that already holds files is refused: reap-omni never writes
     * over a model, finished or not.
     */
    static OutputTarget open(StoreLocation location, Supplier<S3Settings> s3Settings, String jobId) throws IOException {
        if (location instanceof StoreLocation.Local local) {
            requireEmptyFolder(local);
            return Staged.open(local, jobId);
        }
        ObjectStore store = ObjectStores.open(location, s3Settings);
        try {
            requireEmpty(store);
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
        return new InPlace(store);
    }

    /** Refuses an output location that already holds files, without creating anything (for dry runs). */
    static void requireEmpty(StoreLocation location, Supplier<S3Settings> s3Settings) throws IOException {
        if (location instanceof StoreLocation.Local local) {
            requireEmptyFolder(local);
            return;
        }
        try (ObjectStore store = ObjectStores.open(location, s3Settings)) {
            requireEmpty(store);
        }
    }

    private static void requireEmptyFolder(StoreLocation.Local local) throws IOException {
        if (!LocalStaging.isEmptyOrMissing(local.folder())) {
            throw new OutputExistsException(local);
        }
    }

    private static void requireEmpty(ObjectStore store) throws IOException {
        if (!store.list().isEmpty()) {
            throw new OutputExistsException(store.location());
        }
    }

    /** Writes straight into the (empty) final location. */
    record InPlace(ObjectStore staging) implements OutputTarget {
        @Override
        public StoreLocation location() {
            return staging.location();
        }

        @Override
        public void publish() {
            // The rewrite writes the model's defining files last; there is nothing to move.
        }

        @Override
        public void discard() throws IOException {
            for (var object : staging.list()) {
                staging.delete(object.key());
            }
        }

        @Override
        public void close() throws IOException {
            staging.close();
        }
    }

    /** A local folder written under a hidden staging name and renamed into place. */
    record Staged(StoreLocation.Local location, LocalStaging folders, LocalObjectStore staging) implements OutputTarget {
        static Staged open(StoreLocation.Local location, String jobId) throws IOException {
            LocalStaging folders = LocalStaging.of(location.folder(), jobId);
            Files.createDirectories(folders.folder());
            return new Staged(location, folders, new LocalObjectStore(folders.folder()));
        }

        @Override
        public void publish() throws IOException {
            folders.publish();
        }

        @Override
        public void discard() throws IOException {
            folders.discard();
        }

        @Override
        public void close() {
            staging.close();
        }
    }
}
