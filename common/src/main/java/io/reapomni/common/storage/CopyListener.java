package io.reapomni.common.storage;

/** Told how bytes move while an object is written, for progress bars, metrics and benchmarks. */
public interface CopyListener {
    CopyListener NONE = new CopyListener() {
    };

    /** Bytes that passed through this process (read from a source and written to the target). */
    default void streamed(long bytes) {
    }

    /** Bytes copied without passing through this process (kernel-side or server-side). */
    default void copiedInPlace(long bytes) {
    }
}
