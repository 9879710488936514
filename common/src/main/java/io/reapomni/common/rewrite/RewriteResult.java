package io.reapomni.common.rewrite;

/** A finished rewrite: the manifest of what was written, the report, and how the bytes moved. */
public record RewriteResult(Manifest manifest, RewriteReport report, TransferStats transfer) {
}
