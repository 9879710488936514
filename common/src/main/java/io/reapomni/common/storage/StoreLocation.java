package io.reapomni.common.storage;

/**
 * Where a store is rooted: {@code s3://bucket/prefix} or a local folder. Parsed from what users type; printing it
 * never shows credentials (they come from configuration or the environment, never from the location).
 */
public sealed interface StoreLocation {

    /** {@code s3://bucket/prefix} or a local path (made absolute and normalised); see {@link StoreLocations}. */
    static StoreLocation parse(String text) {
        return StoreLocations.parse(text);
    }

    /** A local folder, absolute and normalised. */
    record Local(java.nio.file.Path folder) implements StoreLocation {
        @Override
        public String toString() {
            return folder.toString();
        }
    }

    /** A bucket and a prefix without leading or trailing slashes (empty for the bucket's root). */
    record S3(String bucket, String prefix) implements StoreLocation {
        @Override
        public String toString() {
            return prefix.isEmpty() ? "s3://" + bucket : "s3://" + bucket + "/" + prefix;
        }
    }
}
