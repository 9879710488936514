package io.reapomni.common.rewrite;

import io.reapomni.common.storage.CopyListener;

/**
 * Follows a rewrite: how many files and bytes it will write, each file as it is done (written now, or kept from an
 * interrupted run of the same job), and bytes as they move.
 */
public interface RewriteListener extends CopyListener {
    RewriteListener NONE = new RewriteListener() {
    };

    default void started(int files, long totalBytes) {
    }

    default void fileWritten(ManifestEntry file) {
    }

    /** {@code file} was already complete and correct in the staging area; no byte of it was written again. */
    default void fileKept(ManifestEntry file) {
    }
}
