package io.reapomni.common.storage;

import io.reapomni.common.testing.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Random segment lists (seeded: {@code -Dreap.test.seed=N} replays one case) and worked examples. */
class MultipartPlannerTest {

    private static final long MIN = 5;
    private static final long MAX = 12;
    private static final long STREAMED = 8;
    /** Ranges of keys starting with "copyable" may be copied server side, others not. */
    private static final ObjectStore STORE = new LocalObjectStore(Path.of(System.getProperty("java.io.tmpdir")));

    private final MultipartPlanner planner = new MultipartPlanner(MIN, MAX, STREAMED, 1000);

    static LongStream manySeeds() {
        return Seeds.of(2_000L, 2000);
    }

    static LongStream someSeeds() {
        return Seeds.of(500L, 500);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("manySeeds")
    void keepsEveryByteInOrderAndObeysThePartRules(long seed) {
        List<Segment> segments = segments(new SplittableRandom(seed));
        List<MultipartPlanner.Part> parts = planner.plan(segments, MultipartPlannerTest::copyable);

        assertThat(bytesOfParts(parts)).as("seed %d", seed).isEqualTo(bytesOf(segments));
        for (int i = 0; i < parts.size(); i++) {
            MultipartPlanner.Part part = parts.get(i);
            String where = "seed " + seed + ", part " + (i + 1) + " of " + parts.size();
            assertThat(part.length()).as(where).isPositive().isLessThanOrEqualTo(MAX);
            if (i < parts.size() - 1) {
                assertThat(part.length()).as(where).isGreaterThanOrEqualTo(MIN);
            }
            if (part instanceof MultipartPlanner.CopyPart copy) {
                assertThat(copyable(copy.range())).as(where).isTrue();
            } else {
                assertThat(part.length()).as(where).isLessThanOrEqualTo(STREAMED);
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("someSeeds")
    void copiesAllOfEveryLongCopyableRangeAfterAnAlignedStart(long seed) {
        List<Segment> copyableFirst = new ArrayList<>(segments(new SplittableRandom(seed)));
        copyableFirst.add(0, range("copyable-first", 3, 2 * MAX + 1));
        List<MultipartPlanner.Part> parts = planner.plan(copyableFirst, MultipartPlannerTest::copyable);

        long copiedFromFirst = parts.stream()
                .filter(part -> part instanceof MultipartPlanner.CopyPart copy && copy.range().key().equals("copyable-first"))
                .mapToLong(MultipartPlanner.Part::length).sum();
        assertThat(copiedFromFirst).as("seed %d", seed).isEqualTo(2 * MAX + 1);
    }

    @Test
    void topsUpShortStreamedBytesFromTheFollowingRange() {
        Segment.Bytes header = new Segment.Bytes(new byte[2]);
        List<MultipartPlanner.Part> parts = planner.plan(List.of(header, range("copyable-a", 100, 10)),
                MultipartPlannerTest::copyable);

        assertThat(parts).containsExactly(
                new MultipartPlanner.StreamedPart(List.of(header, range("copyable-a", 100, 3))),
                new MultipartPlanner.CopyPart(range("copyable-a", 103, 7)));
    }

    @Test
    void streamsARangeTooShortToKeepAfterTopUp() {
        List<MultipartPlanner.Part> parts = planner.plan(List.of(
                new Segment.Bytes(new byte[2]),
                range("copyable-a", 0, 7)), MultipartPlannerTest::copyable);

        assertThat(parts).hasSize(2).allMatch(part -> part instanceof MultipartPlanner.StreamedPart);
    }

    @Test
    void refusesPlansWithTooManyParts() {
        MultipartPlanner fewParts = new MultipartPlanner(MIN, MAX, STREAMED, 2);
        assertThatThrownBy(() -> fewParts.plan(List.of(new Segment.Bytes(new byte[17])), MultipartPlannerTest::copyable))
                .hasMessageContaining("3 parts");
    }

    /** Up to 12 segments: literal bytes (0 to 20) or ranges (offset 0 to 50, length 0 to 40) of three keys. */
    private static List<Segment> segments(SplittableRandom random) {
        List<String> keys = List.of("copyable-a", "copyable-b", "foreign-a");
        List<Segment> segments = new ArrayList<>();
        int count = random.nextInt(13);
        for (int i = 0; i < count; i++) {
            if (random.nextBoolean()) {
                byte[] content = new byte[random.nextInt(21)];
                random.nextBytes(content);
                segments.add(new Segment.Bytes(content));
            } else {
                segments.add(range(keys.get(random.nextInt(keys.size())), random.nextInt(51), random.nextInt(41)));
            }
        }
        return segments;
    }

    private static boolean copyable(Segment.Range range) {
        return range.key().startsWith("copyable");
    }

    private static Segment.Range range(String key, long offset, long length) {
        return new Segment.Range(STORE, key, offset, length);
    }

    /** One token per byte: literal values, or the source key and offset of a byte of a range. */
    private static List<String> bytesOf(List<Segment> segments) {
        List<String> tokens = new ArrayList<>();
        for (Segment segment : segments) {
            if (segment instanceof Segment.Bytes literal) {
                for (byte b : literal.content()) {
                    tokens.add("literal " + b);
                }
            } else {
                Segment.Range range = (Segment.Range) segment;
                for (long i = 0; i < range.length(); i++) {
                    tokens.add(range.key() + "@" + (range.offset() + i));
                }
            }
        }
        return tokens;
    }

    private static List<String> bytesOfParts(List<MultipartPlanner.Part> parts) {
        List<String> tokens = new ArrayList<>();
        for (MultipartPlanner.Part part : parts) {
            tokens.addAll(part instanceof MultipartPlanner.CopyPart copy
                    ? bytesOf(List.of(copy.range()))
                    : bytesOf(((MultipartPlanner.StreamedPart) part).pieces()));
        }
        return tokens;
    }
}
