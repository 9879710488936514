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

    /**
     * Whether one location lies inside the other (or they are the same), so that writing to one could change the
     * other: an output inside its own input is refused.
     */
    default boolean overlaps(StoreLocation other) {
        if (this instanceof Local mine && other instanceof Local theirs) {
            return mine.folder().startsWith(theirs.folder()) || theirs.folder().startsWith(mine.folder());
        }
        if (this instanceof S3 mine && other instanceof S3 theirs && mine.bucket().equals(theirs.bucket())) {
            String a = mine.prefix().isEmpty() ? "" : mine.prefix() + "/";
            String b = theirs.prefix().isEmpty() ? "" : theirs.prefix() + "/";
            return a.startsWith(b) || b.startsWith(a);
        }
        return false;
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
