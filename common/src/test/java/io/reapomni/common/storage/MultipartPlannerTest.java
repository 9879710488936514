package io.reapomni.common.storage;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Example;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MultipartPlannerTest {

    private static final long MIN = 5;
    private static final long MAX = 12;
    private static final long STREAMED = 8;
    /** Ranges of keys starting with "copyable" may be copied server side, others not. */
    private static final ObjectStore STORE = new LocalObjectStore(Path.of(System.getProperty("java.io.tmpdir")));

    private final MultipartPlanner planner = new MultipartPlanner(MIN, MAX, STREAMED, 1000);

    @Property(tries = 2000)
    void keepsEveryByteInOrderAndObeysThePartRules(@ForAll("segments") List<Segment> segments) {
        List<MultipartPlanner.Part> parts = planner.plan(segments, MultipartPlannerTest::copyable);

        assertThat(bytesOfParts(parts)).isEqualTo(bytesOf(segments));
        for (int i = 0; i < parts.size(); i++) {
            MultipartPlanner.Part part = parts.get(i);
            assertThat(part.length()).isPositive().isLessThanOrEqualTo(MAX);
            if (i < parts.size() - 1) {
                assertThat(part.length()).as("part %d of %d", i + 1, parts.size()).isGreaterThanOrEqualTo(MIN);
            }
            if (part instanceof MultipartPlanner.CopyPart copy) {
                assertThat(copyable(copy.range())).isTrue();
            } else {
                assertThat(part.length()).isLessThanOrEqualTo(STREAMED);
            }
        }
    }

    @Property(tries = 500)
    void copiesAllOfEveryLongCopyableRangeAfterAnAlignedStart(@ForAll("segments") List<Segment> segments) {
        List<Segment> copyableFirst = new ArrayList<>(segments);
        copyableFirst.add(0, range("copyable-first", 3, 2 * MAX + 1));
        List<MultipartPlanner.Part> parts = planner.plan(copyableFirst, MultipartPlannerTest::copyable);

        long copiedFromFirst = parts.stream()
                .filter(part -> part instanceof MultipartPlanner.CopyPart copy && copy.range().key().equals("copyable-first"))
                .mapToLong(MultipartPlanner.Part::length).sum();
        assertThat(copiedFromFirst).isEqualTo(2 * MAX + 1);
    }

    @Example
    void topsUpShortStreamedBytesFromTheFollowingRange() {
        Segment.Bytes header = new Segment.Bytes(new byte[2]);
        List<MultipartPlanner.Part> parts = planner.plan(List.of(header, range("copyable-a", 100, 10)),
                MultipartPlannerTest::copyable);

        assertThat(parts).containsExactly(
                new MultipartPlanner.StreamedPart(List.of(header, range("copyable-a", 100, 3))),
                new MultipartPlanner.CopyPart(range("copyable-a", 103, 7)));
    }

    @Example
    void streamsARangeTooShortToKeepAfterTopUp() {
        List<MultipartPlanner.Part> parts = planner.plan(List.of(
                new Segment.Bytes(new byte[2]),
                range("copyable-a", 0, 7)), MultipartPlannerTest::copyable);

        assertThat(parts).hasSize(2).allMatch(part -> part instanceof MultipartPlanner.StreamedPart);
    }

    @Example
    void refusesPlansWithTooManyParts() {
        MultipartPlanner fewParts = new MultipartPlanner(MIN, MAX, STREAMED, 2);
        assertThatThrownBy(() -> fewParts.plan(List.of(new Segment.Bytes(new byte[17])), MultipartPlannerTest::copyable))
                .hasMessageContaining("3 parts");
    }

    @Provide
    Arbitrary<List<Segment>> segments() {
        Arbitrary<Segment> bytes = Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(20).map(Segment.Bytes::new);
        Arbitrary<Segment> ranges = Arbitraries.of("copyable-a", "copyable-b", "foreign-a")
                .flatMap(key -> Arbitraries.longs().between(0, 50)
                        .flatMap(offset -> Arbitraries.longs().between(0, 40).map(length -> range(key, offset, length))));
        return Arbitraries.oneOf(bytes, ranges).list().ofMaxSize(12);
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
