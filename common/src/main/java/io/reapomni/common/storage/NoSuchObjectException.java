package io.reapomni.common.storage;

import java.io.FileNotFoundException;

/** A key that names no object in the store. */
public class NoSuchObjectException extends FileNotFoundException {
    public NoSuchObjectException(StoreLocation location, String key) {
        super("no object " + key + " in " + location);
    }
}
