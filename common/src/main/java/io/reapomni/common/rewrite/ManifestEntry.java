package io.reapomni.common.rewrite;

/** One file of a written checkpoint: its key under the output, size in bytes and SHA-256 (lower-case hex). */
public record ManifestEntry(String path, long size, String sha256) {
}
