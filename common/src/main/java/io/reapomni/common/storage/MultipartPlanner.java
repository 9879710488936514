package io.reapomni.common.storage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * Cuts an object assembled from segments into multipart-upload parts: ranges that the target can copy server side
 * become copy parts, everything else is streamed in parts of bounded size. The plan obeys the part rules: every part
 * but the last has at least {@code minPartSize} bytes, none more than {@code maxPartSize}, streamed parts at most
 * {@code maxStreamedPartSize}, and there are at most {@code maxParts} parts. When streamed bytes precede a copyable
 * range, the streamed part is topped up with the range's first bytes so that the rest can still be copied.
 */
public final class MultipartPlanner {

    public static final long S3_MIN_PART_SIZE = 5L << 20;
    public static final long S3_MAX_PART_SIZE = 5L << 30;
    public static final int S3_MAX_PARTS = 10_000;

    private final long minPartSize;
    private final long maxPartSize;
    private final long maxStreamedPartSize;
    private final int maxParts;

    public MultipartPlanner(long minPartSize, long maxPartSize, long maxStreamedPartSize, int maxParts) {
        if (minPartSize <= 0 || maxStreamedPartSize < minPartSize || maxPartSize < maxStreamedPartSize
                || maxPartSize < 2 * minPartSize || maxParts <= 0) {
            throw new IllegalArgumentException("need 0 < minPartSize <= maxStreamedPartSize <= maxPartSize, "
                    + "2 * minPartSize <= maxPartSize and maxParts > 0; got " + minPartSize + ", "
                    + maxStreamedPartSize + ", " + maxPartSize + ", " + maxParts);
        }
        this.minPartSize = minPartSize;
        this.maxPartSize = maxPartSize;
        this.maxStreamedPartSize = maxStreamedPartSize;
        this.maxParts = maxParts;
    }

    /** S3's limits, with streamed parts of {@code maxStreamedPartSize} bytes. */
    public static MultipartPlanner forS3(long maxStreamedPartSize) {
        return new MultipartPlanner(S3_MIN_PART_SIZE, S3_MAX_PART_SIZE, maxStreamedPartSize, S3_MAX_PARTS);
    }

    /** A part of the upload, numbered by its position in the plan. */
    public sealed interface Part {
        long length();
    }

    /** A range copied by the server from an object it holds. */
    public record CopyPart(Segment.Range range) implements Part {
        @Override
        public long length() {
            return range.length();
        }
    }

    /** Bytes sent by this process: the pieces, in order, make up the part. */
    public record StreamedPart(List<Segment> pieces) implements Part {
        public StreamedPart {
            pieces = List.copyOf(pieces);
        }

        @Override
        public long length() {
            return pieces.stream().mapToLong(Segment::length).sum();
        }
    }

    /**
     * The parts of an object made of {@code segments}; a range is copied server side only when
     * {@code copyableServerSide} accepts it and it is long enough to stand as a part of its own.
     */
    public List<Part> plan(List<Segment> segments, Predicate<Segment.Range> copyableServerSide) {
        Plan plan = new Plan();
        for (Segment segment : segments) {
            if (segment.length() == 0) {
                continue;
            }
            if (segment instanceof Segment.Range range && range.length() >= minPartSize && copyableServerSide.test(range)) {
                plan.copy(range);
            } else {
                plan.stream(segment);
            }
        }
        List<Part> parts = plan.finish();
        if (parts.size() > maxParts) {
            throw new IllegalArgumentException("the object needs " + parts.size() + " parts, more than the "
                    + maxParts + " allowed; use larger streamed parts");
        }
        return parts;
    }

    /** The parts so far and the streamed pieces waiting to fill the next part. */
    private final class Plan {
        private final List<Part> parts = new ArrayList<>();
        private final List<Segment> pending = new ArrayList<>();
        private long pendingLength;

        void stream(Segment segment) {
            long offset = 0;
            while (offset < segment.length()) {
                long taken = Math.min(segment.length() - offset, maxStreamedPartSize - pendingLength);
                pending.add(slice(segment, offset, taken));
                pendingLength += taken;
                offset += taken;
                if (pendingLength == maxStreamedPartSize) {
                    flush();
                }
            }
        }

        void copy(Segment.Range range) {
            Segment.Range copied = range;
            if (pendingLength > 0 && pendingLength < minPartSize) {
                long topUp = minPartSize - pendingLength;
                if (range.length() - topUp < minPartSize) {
                    stream(range);
                    return;
                }
                stream(slice(range, 0, topUp));
                copied = slice(range, topUp, range.length() - topUp);
            }
            flush();
            // Equal chunks of at most maxPartSize; each is over maxPartSize / 2 >= minPartSize when there are several.
            long chunks = (copied.length() + maxPartSize - 1) / maxPartSize;
            long offset = 0;
            for (long i = 0; i < chunks; i++) {
                long length = (copied.length() - offset) / (chunks - i);
                parts.add(new CopyPart(slice(copied, offset, length)));
                offset += length;
            }
        }

        List<Part> finish() {
            flush();
            return List.copyOf(parts);
        }

        private void flush() {
            if (pendingLength > 0) {
                parts.add(new StreamedPart(pending));
                pending.clear();
                pendingLength = 0;
            }
        }
    }

    private static Segment.Range slice(Segment.Range range, long offset, long length) {
        return new Segment.Range(range.store(), range.key(), range.offset() + offset, length);
    }

    private static Segment slice(Segment segment, long offset, long length) {
        if (segment instanceof Segment.Range range) {
            return offset == 0 && length == range.length() ? range : slice(range, offset, length);
        }
        byte[] content = ((Segment.Bytes) segment).content();
        return offset == 0 && length == content.length
                ? segment
                : new Segment.Bytes(Arrays.copyOfRange(content, (int) offset, (int) (offset + length)));
    }
}
