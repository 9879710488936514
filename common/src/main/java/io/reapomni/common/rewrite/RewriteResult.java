package io.reapomni.common.rewrite;

/**
 * A finished rewrite: the manifest of what was written, the report, and how the bytes moved.
 *
 * @param alreadyPublished the output had been published by an earlier run of the same job, and this run wrote nothing
 */
public record RewriteResult(Manifest manifest, RewriteReport report, TransferStats transfer, boolean alreadyPublished) {
}
