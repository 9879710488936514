package io.reapomni.common.storage;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * What a service may open for a job: S3 locations with its S3 settings (asked for only when a job names one), local
 * folders only under its {@link LocalRoots}.
 */
public record StoreAccess(Supplier<S3Settings> s3Settings, LocalRoots localRoots) {

    public StoreAccess {
        Objects.requireNonNull(s3Settings, "s3Settings");
        Objects.requireNonNull(localRoots, "localRoots");
    }

    /**
     * Opens a location that a job reads from.
     *
     * @throws LocalLocationRefusedException when it is a local folder outside the roots
     * @throws IllegalStateException         when it is an S3 location and S3 is not configured
     */
    public ObjectStore openForReading(StoreLocation location) {
        if (location instanceof StoreLocation.Local local) {
            localRoots.requireReadable(local);
        }
        return ObjectStores.open(location, s3Settings);
    }

    /**
     * Refuses a location that a job would write to when it is a local folder outside the roots.
     *
     * @throws LocalLocationRefusedException naming the location and the roots
     */
    public void requireWritable(StoreLocation location) {
        if (location instanceof StoreLocation.Local local) {
            localRoots.requireWritable(local);
        }
    }
}
