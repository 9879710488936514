package io.reapomni.common.rewrite;

import io.reapomni.common.storage.LocalObjectStore;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.ObjectStores;
import io.reapomni.common.storage.S3Settings;
import io.reapomni.common.storage.StoreLocation;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where a rewrite writes, so that a failed or interrupted job leaves no half-written model where a finished one is
 * expected. A local output is written into a hidden sibling folder and renamed into place when complete (one atomic
 * rename on the same filesystem). S3 has no rename, and copying tens of GB again to publish would double the job's
 * I/O, so an S3 output is written in place into an empty prefix, with the files that make it a model (config, index)
 * and the manifest written last. Either staging area is claimed first by a {@code .reap-job} marker holding the job's
 * {@link JobClaim}, written so that of two jobs claiming one location exactly one gets it.
 * <p>
 * A job restarted after a crash or a failure (same job id, same request) gets its unfinished staging area back, and a
 * job whose output was already published gets {@link Published}: delivery is at least once, writing is at most
 * once. The same job id with another request is refused, whatever state the location is in.
 */
public sealed interface OutputTarget extends AutoCloseable permits OutputTarget.Writable, OutputTarget.Published {

    /** The final location. */
    StoreLocation location();

    /** The job and request this target was opened for. */
    JobClaim claim();

    @Override
    void close() throws IOException;

    /**
     * Opens the output of the job and request {@code claim}: its published output, its unfinished staging area, or a
     * new one in an empty location. A location holding anything else (another job's files, finished or not, this job
     * id's files for another request, or files reap-omni did not write) is refused: reap-omni never writes over them.
     */
    static OutputTarget open(StoreLocation location, Supplier<S3Settings> s3Settings, JobClaim claim) throws IOException {
        if (location instanceof StoreLocation.Local local) {
            Optional<Published> published = Published.find(new LocalObjectStore(local.folder()), claim);
            if (published.isPresent()) {
                return published.get();
            }
            requireEmptyFolder(local);
            return Staged.open(local, claim);
        }
        ObjectStore store = ObjectStores.open(location, s3Settings);
        try {
            Optional<Published> published = Published.find(store, claim);
            if (published.isPresent()) {
                finishPublishing(store);
                store.close();
                return published.get();
            }
            return InPlace.claim(store, claim);
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** Refuses an output location that already holds files, without creating anything (for dry runs). */
    static void requireEmpty(StoreLocation location, Supplier<S3Settings> s3Settings) throws IOException {
        if (location instanceof StoreLocation.Local local) {
            requireEmptyFolder(local);
            return;
        }
        try (ObjectStore store = ObjectStores.open(location, s3Settings)) {
            if (!store.list().isEmpty()) {
                throw new OutputExistsException(store.location());
            }
        }
    }

    private static void requireEmptyFolder(StoreLocation.Local local) throws IOException {
        if (!LocalStaging.isEmptyOrMissing(local.folder())) {
            throw new OutputExistsException(local);
        }
    }

    /** A run stopped between writing the manifest and removing its marker published the model all the same. */
    private static void finishPublishing(ObjectStore store) throws IOException {
        if (JobMarker.present(store)) {
            store.delete(JobMarker.KEY);
        }
    }

    /** An output still to be written. */
    sealed interface Writable extends OutputTarget permits Staged, InPlace {
        /** The store that the rewrite writes its files into; files of an interrupted run of this job may be there. */
        ObjectStore staging();

        /** Makes the complete output visible under its final location. */
        void publish() throws IOException;

        /** Removes everything written so far; the final location is left as it was before the job. */
        void discard() throws IOException;

        /**
         * Refuses to go on when the staging area cannot take {@code bytes} more (a local filesystem; an S3 store
         * reports no free space).
         */
        void requireSpace(long bytes) throws IOException;
    }

    /** This job's output, published by an earlier run (a redelivered plan, a restart after publishing). */
    record Published(StoreLocation location, JobClaim claim, Manifest manifest, RewriteReport report)
            implements OutputTarget {

        /** The result as the earlier run left it, without its transfer statistics: this run moved nothing. */
        public RewriteResult result() {
            return new RewriteResult(manifest, report, TransferStats.NONE, true);
        }

        @Override
        public void close() {
            // Holds no store: everything was read when the output was found.
        }

        /** This request's published output in {@code store}; a model published for another one is refused. */
        static Optional<Published> find(ObjectStore store, JobClaim claim) throws IOException {
            if (!store.exists(Manifest.FILE_NAME)) {
                return Optional.empty();
            }
            Manifest manifest = ReportFiles.readManifest(store);
            claim.requireSameAs(manifest.jobId(), manifest.fingerprint(), store.location(), "the model published by");
            RewriteReport report = ReportFiles.readReport(store);
            return Optional.of(new Published(store.location(), claim, manifest, report));
        }
    }

    /** Writes straight into the final location, which holds nothing but this job's files. */
    record InPlace(ObjectStore staging, JobClaim claim) implements Writable {
        /**
         * Claims an empty location for {@code claim}, or takes back the unfinished one that the same request claimed.
         * Two jobs that both found the location empty race for the marker; the store lets exactly one write it.
         */
        static InPlace claim(ObjectStore store, JobClaim claim) throws IOException {
            if (!JobMarker.present(store) && !store.list().isEmpty()) {
                throw new OutputExistsException(store.location(), "already holds files");
            }
            JobMarker.claim(store, claim);
            return new InPlace(store, claim);
        }

        @Override
        public StoreLocation location() {
            return staging.location();
        }

        /** The rewrite wrote the model's defining files last; only the marker has to go. */
        @Override
        public void publish() throws IOException {
            staging.delete(JobMarker.KEY);
        }

        /** The marker goes last, so that a discard that is itself interrupted leaves a location this job can resume. */
        @Override
        public void discard() throws IOException {
            for (var object : staging.list()) {
                if (!object.key().equals(JobMarker.KEY)) {
                    staging.delete(object.key());
                }
            }
            staging.delete(JobMarker.KEY);
        }

        @Override
        public void requireSpace(long bytes) {
            // S3 and MinIO report no free space; a full MinIO answers a write with an error, which is retried.
        }

        @Override
        public void close() throws IOException {
            staging.close();
        }
    }

    /** A local folder written under a hidden staging name and renamed into place. */
    record Staged(StoreLocation.Local location, JobClaim claim, LocalStaging folders, ObjectStore staging)
            implements Writable {
        /** Creates the staging folder, or takes back the one an interrupted run of the same request left. */
        static Staged open(StoreLocation.Local location, JobClaim claim) throws IOException {
            LocalStaging folders = LocalStaging.of(location.folder(), claim.jobId());
            Files.createDirectories(folders.folder());
            LocalObjectStore staging = new LocalObjectStore(folders.folder());
            JobMarker.claim(staging, claim);
            staging.deleteAbandonedWrites();
            return new Staged(location, claim, folders, staging);
        }

        /** The marker stays behind: the published folder holds exactly the model and its manifest. */
        @Override
        public void publish() throws IOException {
            staging.delete(JobMarker.KEY);
            folders.publish();
        }

        @Override
        public void discard() throws IOException {
            folders.discard();
        }

        @Override
        public void requireSpace(long bytes) throws IOException {
            long usable = Files.getFileStore(folders.folder()).getUsableSpace();
            if (usable < bytes) {
                throw new InsufficientSpaceException(folders.folder(), bytes, usable);
            }
        }

        @Override
        public void close() throws IOException {
            staging.close();
        }
    }
}
