package io.reapomni.scoring.jobs;

import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.StoreLocation;

/** Opens the store holding a job's source model; the caller closes it. */
@FunctionalInterface
public interface ModelOpener {
    ObjectStore open(StoreLocation location);
}
