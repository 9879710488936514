package io.reapomni.common.testing;

import java.util.SplittableRandom;
import java.util.stream.LongStream;

/**
 * Seeds for property-style tests written with plain JUnit 5: a test runs once per seed
 * ({@code @ParameterizedTest(name = "seed {0}") @MethodSource}), draws its random case from
 * {@code new SplittableRandom(seed)} and names the seed in its assertion messages. The seeds are fixed, so every run
 * checks the same cases; to replay one failing case alone, run with {@code -Dreap.test.seed=<seed>}.
 */
public final class Seeds {
    public static final String PROPERTY = "reap.test.seed";

    private Seeds() {
    }

    /** {@code count} seeds drawn from {@code base}, or only the seed named by {@value #PROPERTY}. */
    public static LongStream of(long base, int count) {
        String fixed = System.getProperty(PROPERTY);
        if (fixed != null && !fixed.isBlank()) {
            return LongStream.of(Long.parseLong(fixed.trim()));
        }
        SplittableRandom random = new SplittableRandom(base);
        return LongStream.generate(random::nextLong).limit(count);
    }
}
