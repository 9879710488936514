package io.reapomni.common.rewrite;

import java.util.List;

/**
 * {@code reap-manifest.json}: every file of a written checkpoint with its size and SHA-256. It is written last, so
 * its presence means the output is complete; it lists every file but itself. {@code fingerprint} is the
 * {@link JobClaim#fingerprint()} of the request that wrote it: a later job with the same id must have made the same one.
 */
public record Manifest(int schemaVersion, String jobId, String fingerprint, String source, List<ManifestEntry> files) {
    public static final String FILE_NAME = "reap-manifest.json";
    public static final int SCHEMA_VERSION = 1;

    public Manifest {
        files = List.copyOf(files);
    }

    public long totalBytes() {
        return files.stream().mapToLong(ManifestEntry::size).sum();
    }
}
