package io.reapomni.common.rewrite;

import io.reapomni.common.storage.StoreLocation;

import java.io.IOException;

/** The output location already holds files that are not this job's; reap-omni does not write over them. */
public class OutputExistsException extends IOException {
    public OutputExistsException(StoreLocation location) {
        this(location, "already holds files");
    }

    /** {@code holding} says what is there, e.g. "holds the model published by job 42". */
    public OutputExistsException(StoreLocation location, String holding) {
        super("output location " + location + " " + holding + ": choose an empty or new location"
                + " (reap-omni never writes over an existing model)");
    }
}
