package io.reapomni.cli;

import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.ObjectStores;
import io.reapomni.common.storage.S3Settings;
import io.reapomni.common.storage.StoreLocation;

/** Opens what users type as a model location; S3 settings come from the environment, asked only for s3:// paths. */
public final class Stores {
    private Stores() {
    }

    public static ObjectStore open(String location) {
        return open(StoreLocation.parse(location));
    }

    public static ObjectStore open(StoreLocation location) {
        return ObjectStores.open(location, S3Settings::fromEnvironment);
    }
}
