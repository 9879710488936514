package io.reapomni.service;

import io.reapomni.common.storage.LocalLocationRefusedException;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.ObjectStores;
import io.reapomni.common.storage.StoreAccess;
import io.reapomni.common.storage.StoreLocation;

import java.util.Objects;

/**
 * The stores that jobs name, as one service opens them: a local folder outside the service's local roots, or an S3
 * location while S3 is not configured, refuses the job ({@link JobRejectedException}, naming what it wanted and where)
 * rather than failing it as an error, since no retry of the same event can succeed.
 */
public final class JobStores {
    private final StoreAccess access;
    private final String service;

    /** @param service how refusals name this service, e.g. {@code "the strip service"} */
    public JobStores(StoreAccess access, String service) {
        this.access = Objects.requireNonNull(access, "access");
        this.service = Objects.requireNonNull(service, "service");
    }

    /** What the jobs may open: S3 with the service's settings, local folders under its local roots. */
    public StoreAccess access() {
        return access;
    }

    /** Opens {@code location}, where the job reads {@code what} (e.g. {@code "the model"}). */
    public ObjectStore openForReading(StoreLocation location, String what) throws JobRejectedException {
        return refusing(location, what, () -> access.openForReading(location));
    }

    /** Opens {@code location}, where the job writes {@code what}. */
    public ObjectStore openForWriting(StoreLocation location, String what) throws JobRejectedException {
        requireWritable(location);
        return refusing(location, what, () -> ObjectStores.open(location, access.s3Settings()));
    }

    /** Refuses a location that the job would write to when it is a local folder outside the local roots. */
    public void requireWritable(StoreLocation location) throws JobRejectedException {
        try {
            access.requireWritable(location);
        } catch (LocalLocationRefusedException e) {
            throw new JobRejectedException(e.getMessage(), e);
        }
    }

    /**
     * Runs {@code opening}, which opens what the job names at {@code location} (a store, or something read from one),
     * turning a refused local folder or an S3 location without S3 settings into the job's refusal.
     */
    public <T, E extends Exception> T refusing(StoreLocation location, String what, Opening<T, E> opening)
            throws JobRejectedException, E {
        try {
            return opening.open();
        } catch (IllegalStateException e) {
            throw refusal(location, what, e);
        }
    }

    /**
     * The job's refusal when opening {@code what} at {@code location} failed with {@code failure}: a local folder
     * outside the roots ({@link LocalLocationRefusedException}, which names them), or S3 not configured.
     */
    public JobRejectedException refusal(StoreLocation location, String what, IllegalStateException failure) {
        if (failure instanceof LocalLocationRefusedException) {
            return new JobRejectedException(failure.getMessage(), failure);
        }
        String reason = location instanceof StoreLocation.S3
                ? "S3 is not configured (" + failure.getMessage() + ")" : failure.getMessage();
        return new JobRejectedException(service + " cannot open " + what + " at " + location + ": " + reason, failure);
    }

    /** Opens something; {@code IllegalStateException} says that its location cannot be used (see the class). */
    @FunctionalInterface
    public interface Opening<T, E extends Exception> {
        T open() throws E;
    }
}
