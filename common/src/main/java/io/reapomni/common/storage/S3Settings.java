package io.reapomni.common.storage;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * How to reach an S3-compatible endpoint, and how to retry its transient failures. The credentials are only handed
 * to the S3 client: {@link #toString()} masks them, and no exception of this package quotes them.
 */
public record S3Settings(URI endpoint, String region, String accessKey, String secretKey, RetrySettings retry) {

    public static final String ENDPOINT_VARIABLE = "REAP_S3_ENDPOINT";
    public static final String REGION_VARIABLE = "REAP_S3_REGION";
    public static final String ACCESS_KEY_VARIABLE = "REAP_S3_ACCESS_KEY";
    public static final String SECRET_KEY_VARIABLE = "REAP_S3_SECRET_KEY";
    public static final String AWS_ACCESS_KEY_VARIABLE = "AWS_ACCESS_KEY_ID";
    public static final String AWS_SECRET_KEY_VARIABLE = "AWS_SECRET_ACCESS_KEY";
    public static final String DEFAULT_REGION = "us-east-1";

    private static final String MASK = "****";

    public S3Settings {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(accessKey, "accessKey");
        Objects.requireNonNull(secretKey, "secretKey");
        Objects.requireNonNull(retry, "retry");
        String scheme = endpoint.getScheme();
        if (!("http".equals(scheme) || "https".equals(scheme)) || endpoint.getHost() == null) {
            throw new IllegalArgumentException("S3 endpoint " + endpoint + " is not an http:// or https:// URL with a host");
        }
        if (region.isBlank() || accessKey.isBlank() || secretKey.isBlank()) {
            throw new IllegalArgumentException("S3 settings for " + endpoint + " need a region, an access key and a secret key");
        }
    }

    /** Settings with the {@link RetrySettings#DEFAULT default} retries. */
    public S3Settings(URI endpoint, String region, String accessKey, String secretKey) {
        this(endpoint, region, accessKey, secretKey, RetrySettings.DEFAULT);
    }

    public S3Settings withRetry(RetrySettings newRetry) {
        return new S3Settings(endpoint, region, accessKey, secretKey, newRetry);
    }

    public static S3Settings fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /** Reads the same variables as {@link #fromEnvironment()} from {@code environment}. */
    public static S3Settings fromEnvironment(Map<String, String> environment) {
        String endpoint = requiredEndpoint(environment);
        String region = environment.getOrDefault(REGION_VARIABLE, "");
        return new S3Settings(
                parseEndpoint(endpoint),
                region.isBlank() ? DEFAULT_REGION : region,
                required(environment, ACCESS_KEY_VARIABLE, AWS_ACCESS_KEY_VARIABLE),
                required(environment, SECRET_KEY_VARIABLE, AWS_SECRET_KEY_VARIABLE),
                RetrySettings.fromEnvironment(environment));
    }

    /** Whether objects reached through {@code other} can be copied server side by a request made with these settings. */
    public boolean sameEndpointAndCredentials(S3Settings other) {
        return endpoint.equals(other.endpoint) && accessKey.equals(other.accessKey) && secretKey.equals(other.secretKey);
    }

    @Override
    public String toString() {
        return "S3Settings[endpoint=" + endpoint + ", region=" + region + ", accessKey=" + MASK + ", secretKey=" + MASK
                + ", retry=" + retry + "]";
    }

    private static URI parseEndpoint(String text) {
        try {
            return URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(ENDPOINT_VARIABLE + " is not a URL: " + e.getMessage(), e);
        }
    }

    private static String requiredEndpoint(Map<String, String> environment) {
        String value = environment.get(ENDPOINT_VARIABLE);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(ENDPOINT_VARIABLE + " is not set: it names the S3 endpoint, e.g. http://minio:9000");
        }
        return value;
    }

    private static String required(Map<String, String> environment, String variable, String fallback) {
        String value = environment.get(variable);
        if (value == null || value.isBlank()) {
            value = environment.get(fallback);
        }
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(variable + " is not set (nor " + fallback + ")");
        }
        return value;
    }
}
