package io.reapomni.common.storage;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a store is rooted: {@code s3://bucket/prefix} or a local folder. Parsed from what users type; printing it
 * never shows credentials (they come from configuration or the environment, never from the location). In JSON (events,
 * reports) it is the string it prints as, parsed back with the same checks.
 */
@JsonSerialize(using = ToStringSerializer.class)
@JsonDeserialize(using = StoreLocationDeserializer.class)
public sealed interface StoreLocation {

    /** {@code s3://bucket/prefix} or a local path (made absolute and normalised); see {@link StoreLocations}. */
    static StoreLocation parse(String text) {
        return StoreLocations.parse(text);
    }

    /**
     * Whether one location lies inside the other (or they are the same), so that writing to one could change the
     * other: an output inside its own input is refused. Local folders are compared by their real paths, so that a
     * symbolic link cannot lead an output into its input.
     */
    default boolean overlaps(StoreLocation other) {
        if (this instanceof Local mine && other instanceof Local theirs) {
            Path a = mine.realFolder();
            Path b = theirs.realFolder();
            return a.startsWith(b) || b.startsWith(a);
        }
        if (this instanceof S3 mine && other instanceof S3 theirs && mine.bucket().equals(theirs.bucket())) {
            String a = mine.prefix().isEmpty() ? "" : mine.prefix() + "/";
            String b = theirs.prefix().isEmpty() ? "" : theirs.prefix() + "/";
            return a.startsWith(b) || b.startsWith(a);
        }
        return false;
    }

    /** A local folder, absolute and normalised. */
    record Local(Path folder) implements StoreLocation {
        /**
         * Where the folder really is: the real path of its deepest existing part (every symbolic link resolved),
         * followed by the part that does not exist yet. A part that cannot be resolved is taken as it is written.
         */
        public Path realFolder() {
            Path existing = folder;
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            if (existing == null) {
                return folder;
            }
            try {
                return existing.toRealPath().resolve(existing.relativize(folder)).normalize();
            } catch (IOException unresolvable) {
                return folder;
            }
        }

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
