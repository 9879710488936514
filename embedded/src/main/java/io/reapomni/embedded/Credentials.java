package io.reapomni.embedded;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The one identity that an embedded server accepts: a name (may be shown) and its secret (never shown:
 * {@link #toString()} leaves it out), handed to a server in its own JVM through its environment, never on its
 * command line, where {@code ps} would show the secret to every user.
 */
public record Credentials(String identity, String secret) {

    /** The environment variables that carry credentials to a server. */
    public record Variables(String identity, String secret) {
    }

    /** The S3 endpoint's access key and secret key: the names every reap-omni process reads S3 credentials from. */
    public static final Variables S3 = new Variables("REAP_S3_ACCESS_KEY", "REAP_S3_SECRET_KEY");
    /** The Kafka broker's user and password (SASL/PLAIN). */
    public static final Variables KAFKA = new Variables("REAP_KAFKA_USERNAME", "REAP_KAFKA_PASSWORD");

    /** Printable ASCII without spaces, quotes or backslashes: safe inside a JAAS option and an S3 signature. */
    private static final Pattern SAFE = Pattern.compile("[\\x21-\\x7e&&[^\"\\\\]]+");
    private static final SecureRandom RANDOM = new SecureRandom();

    public Credentials {
        requireSafe(identity, "identity");
        requireSafe(secret, "secret");
    }

    /** A fresh identity and a 256-bit secret, for a server that only this machine's processes use. */
    public static Credentials random() {
        return new Credentials("reap-" + hex(8), hex(32));
    }

    /** @throws IllegalArgumentException when either variable is missing or its value is not usable */
    public static Credentials fromEnvironment(Map<String, String> environment, Variables variables) {
        String identity = environment.get(variables.identity());
        String secret = environment.get(variables.secret());
        if (identity == null || secret == null) {
            throw new IllegalArgumentException(
                    "set both " + variables.identity() + " and " + variables.secret() + " in the environment");
        }
        return new Credentials(identity, secret);
    }

    /** Both values as the environment variables that {@link #fromEnvironment} reads. */
    public Map<String, String> asEnvironment(Variables variables) {
        return Map.of(variables.identity(), identity, variables.secret(), secret);
    }

    @Override
    public String toString() {
        return "Credentials[identity=" + identity + ", secret=(hidden)]";
    }

    private static void requireSafe(String value, String what) {
        Objects.requireNonNull(value, what);
        if (!SAFE.matcher(value).matches()) {
            throw new IllegalArgumentException("the " + what + " must be printable ASCII without spaces, quotes or"
                    + " backslashes");
        }
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
