package io.reapomni.common.rewrite;

import io.reapomni.common.storage.CopyListener;

/** Follows a rewrite: how many files and bytes it will write, each file as it is done, and bytes as they move. */
public interface RewriteListener extends CopyListener {
    RewriteListener NONE = new RewriteListener() {
    };

    default void started(int files, long totalBytes) {
    }

    default void fileWritten(ManifestEntry file) {
    }
}
