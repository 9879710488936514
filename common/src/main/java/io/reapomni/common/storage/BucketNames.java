package io.reapomni.common.storage;

import java.util.regex.Pattern;

/** The S3 bucket naming rules (general purpose buckets), checked before any request names a bucket. */
public final class BucketNames {

    private static final Pattern ALLOWED = Pattern.compile("[a-z0-9][a-z0-9.-]*[a-z0-9]");
    private static final Pattern IP_ADDRESS = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");

    private BucketNames() {
    }

    /** Returns {@code bucket} when it is a valid bucket name; otherwise throws, naming the bucket and the rule. */
    public static String validate(String bucket) {
        if (bucket == null || bucket.length() < 3 || bucket.length() > 63) {
            throw invalid(bucket, "a bucket name has 3 to 63 characters");
        }
        if (!ALLOWED.matcher(bucket).matches()) {
            throw invalid(bucket, "a bucket name has only lowercase letters, digits, '.' and '-', "
                    + "and starts and ends with a letter or digit");
        }
        if (bucket.contains("..") || bucket.contains(".-") || bucket.contains("-.")) {
            throw invalid(bucket, "a bucket name has no adjacent '.', '.-' or '-.'");
        }
        if (IP_ADDRESS.matcher(bucket).matches()) {
            throw invalid(bucket, "a bucket name is not formatted as an IP address");
        }
        if (bucket.startsWith("xn--") || bucket.startsWith("sthree-")) {
            throw invalid(bucket, "a bucket name does not start with 'xn--' or 'sthree-'");
        }
        return bucket;
    }

    private static IllegalArgumentException invalid(String bucket, String rule) {
        return new IllegalArgumentException("invalid S3 bucket name \"" + bucket + "\": " + rule);
    }
}
