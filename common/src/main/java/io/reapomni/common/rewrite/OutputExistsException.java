package io.reapomni.common.rewrite;

import io.reapomni.common.storage.StoreLocation;

import java.io.IOException;

/** The output location already holds files; reap-omni does not write over them. */
public class OutputExistsException extends IOException {
    public OutputExistsException(StoreLocation location) {
        super("output location " + location + " already holds files: choose an empty or new location"
                + " (reap-omni never writes over an existing model)");
    }
}
