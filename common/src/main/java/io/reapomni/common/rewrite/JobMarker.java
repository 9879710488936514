package io.reapomni.common.rewrite;

import io.reapomni.common.storage.ObjectStore;

import java.io.IOException;
import java.util.Optional;

/**
 * {@code .reap-job}: the {@link JobClaim} of the job writing into a staging area (an S3 output prefix, or a local
 * staging folder). It is written before anything else, with a write that only succeeds when no marker exists, so that
 * of two jobs claiming one location exactly one gets it; it lets a restarted job recognise its own unfinished files
 * and every other job see that the location is taken. It is removed when the output is published.
 */
final class JobMarker {
    static final String KEY = ".reap-job";
    /** A claim is two short strings; anything longer is not a marker this code wrote. */
    private static final long MAX_BYTES = 1024;

    private JobMarker() {
    }

    /**
     * Claims {@code store} for {@code claim}, or takes it back when an earlier run of the same request claimed it.
     * A location claimed by anyone else is refused.
     */
    static void claim(ObjectStore store, JobClaim claim) throws IOException {
        if (store.writeIfAbsent(KEY, claim.toJson())) {
            return;
        }
        // Taken (by this request's earlier run, or a retried write of this one, or another job): the marker decides.
        Optional<JobClaim> holder = read(store);
        if (holder.isEmpty()) {
            throw new OutputExistsException(store.location(), "holds a " + KEY + " marker that this version of"
                    + " reap-omni did not write (delete it if no job is using the location)");
        }
        claim.requireSameAs(holder.get().jobId(), holder.get().fingerprint(), store.location(),
                "the unfinished output of");
    }

    /** The claim in {@code store}'s marker; empty when there is no marker or it is not one this code wrote. */
    static Optional<JobClaim> read(ObjectStore store) throws IOException {
        if (!store.exists(KEY)) {
            return Optional.empty();
        }
        return JobClaim.fromJson(store.readAll(KEY, MAX_BYTES));
    }

    static boolean present(ObjectStore store) throws IOException {
        return store.exists(KEY);
    }
}
