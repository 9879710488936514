package io.reapomni.common.storage.testing;

import java.util.Random;

/** Reproducible pseudo-random content, so that a test failing once fails the same way again. */
public final class TestData {

    private TestData() {
    }

    public static byte[] bytes(long seed, int length) {
        byte[] content = new byte[length];
        new Random(seed).nextBytes(content);
        return content;
    }
}
