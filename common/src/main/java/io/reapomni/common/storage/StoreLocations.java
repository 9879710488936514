package io.reapomni.common.storage;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/** Parses what users type as a checkpoint location: {@code s3://bucket/prefix} or a local folder. */
public final class StoreLocations {

    private static final String S3_SCHEME = "s3://";
    private static final Pattern ANY_URI_SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://.*", Pattern.DOTALL);

    private StoreLocations() {
    }

    public static StoreLocation parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a store location must not be empty: give s3://bucket/prefix or a folder");
        }
        if (text.toLowerCase(Locale.ROOT).startsWith(S3_SCHEME)) {
            return parseS3(text, text.substring(S3_SCHEME.length()));
        }
        if (ANY_URI_SCHEME.matcher(text).matches()) {
            throw new IllegalArgumentException("unsupported store location \"" + text
                    + "\": only s3://bucket/prefix and local folders are supported");
        }
        try {
            return new StoreLocation.Local(Path.of(text).toAbsolutePath().normalize());
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("invalid local folder \"" + text + "\": " + e.getMessage(), e);
        }
    }

    private static StoreLocation.S3 parseS3(String text, String bucketAndPrefix) {
        if (bucketAndPrefix.isEmpty() || bucketAndPrefix.startsWith("/")) {
            throw new IllegalArgumentException("store location \"" + text
                    + "\" names no bucket: expected s3://bucket or s3://bucket/prefix");
        }
        int slash = bucketAndPrefix.indexOf('/');
        String bucket = slash < 0 ? bucketAndPrefix : bucketAndPrefix.substring(0, slash);
        String prefix = slash < 0 ? "" : trimSlashes(bucketAndPrefix.substring(slash + 1));
        try {
            BucketNames.validate(bucket);
            if (!prefix.isEmpty()) {
                ObjectKeys.validate(prefix);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid store location \"" + text + "\": " + e.getMessage(), e);
        }
        return new StoreLocation.S3(bucket, prefix);
    }

    private static String trimSlashes(String prefix) {
        int start = 0;
        int end = prefix.length();
        while (start < end && prefix.charAt(start) == '/') {
            start++;
        }
        while (end > start && prefix.charAt(end - 1) == '/') {
            end--;
        }
        return prefix.substring(start, end);
    }
}
