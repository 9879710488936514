package io.reapomni.embedded;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;

/**
 * An S3 access key (the identity, may be shown) and secret key (never shown: {@link #toString()} leaves it out).
 */
public record S3Credentials(String accessKey, String secretKey) {

    public static final String ACCESS_KEY_VARIABLE = "REAP_S3_ACCESS_KEY";
    public static final String SECRET_KEY_VARIABLE = "REAP_S3_SECRET_KEY";

    private static final SecureRandom RANDOM = new SecureRandom();

    public S3Credentials {
        requireText(accessKey, "access key");
        requireText(secretKey, "secret key");
    }

    /** A fresh identity and a 256-bit secret, for an endpoint that only this machine's processes use. */
    public static S3Credentials random() {
        return new S3Credentials("reap-" + hex(8), hex(32));
    }

    /**
     * The credentials in {@value #ACCESS_KEY_VARIABLE} and {@value #SECRET_KEY_VARIABLE}: a child process gets them
     * through its environment, never on its command line, where {@code ps} would show the secret.
     *
     * @throws IllegalArgumentException when either is missing or blank
     */
    public static S3Credentials fromEnvironment(Map<String, String> environment) {
        String accessKey = environment.get(ACCESS_KEY_VARIABLE);
        String secretKey = environment.get(SECRET_KEY_VARIABLE);
        if (accessKey == null || secretKey == null) {
            throw new IllegalArgumentException(
                    "set both " + ACCESS_KEY_VARIABLE + " and " + SECRET_KEY_VARIABLE + " in the environment");
        }
        return new S3Credentials(accessKey, secretKey);
    }

    /** Both keys as the environment variables that {@link #fromEnvironment} reads. */
    public Map<String, String> asEnvironment() {
        return Map.of(ACCESS_KEY_VARIABLE, accessKey, SECRET_KEY_VARIABLE, secretKey);
    }

    @Override
    public String toString() {
        return "S3Credentials[accessKey=" + accessKey + ", secretKey=(hidden)]";
    }

    private static void requireText(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isBlank() || !value.strip().equals(value)) {
            throw new IllegalArgumentException(what + " must be non-blank without surrounding whitespace");
        }
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
