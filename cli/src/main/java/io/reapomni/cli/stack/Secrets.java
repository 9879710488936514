package io.reapomni.cli.stack;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Random names and secrets for the embedded stack's servers, which only this user's processes may use. */
final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    /** {@code bytes} random bytes as lower-case hex: 32 bytes make a 256-bit secret. */
    static String hex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
