package io.reapomni.common.storage;

import java.util.function.Supplier;

/** Opens the store a location names. */
public final class ObjectStores {

    private ObjectStores() {
    }

    /** {@code s3Settings} is asked only for an S3 location, so local use needs no S3 configuration. */
    public static ObjectStore open(StoreLocation location, Supplier<S3Settings> s3Settings) {
        if (location instanceof StoreLocation.S3 s3) {
            return S3ObjectStore.open(s3Settings.get(), s3);
        }
        return new LocalObjectStore(((StoreLocation.Local) location).folder());
    }
}
