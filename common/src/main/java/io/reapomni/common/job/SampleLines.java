package io.reapomni.common.job;

import io.reapomni.common.storage.ObjectStore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The samples of a calibration JSONL file in a store. Every non-blank line is one sample, usable or not, numbered
 * from 0 in file order; blank lines are no samples. Planning counts samples and calibration tasks read ranges of them
 * by this one rule, so that every line is run, or reported as skipped, by exactly one task. The file is streamed and
 * read no further than needed.
 *
 * <p>A line is at most {@value #MAX_LINE_BYTES} bytes of UTF-8: a longer one is skipped to its end without being
 * held, and one that is not valid UTF-8 is not decoded with replacement characters; either is still a sample, one
 * that is {@link Line.Unreadable} with the reason, so that a bad line is reported and the numbering of the others
 * does not depend on the limit. Lines end at {@code \n}, {@code \r\n} or {@code \r}.
 */
public final class SampleLines {

    /** The longest line a calibration file may have, in bytes: a pre-tokenised sample of 100k tokens fits. */
    public static final int MAX_LINE_BYTES = 1 << 20;

    private static final int READ_BYTES = 64 * 1024;

    /** One sample of the file: its number among the file's samples and its line number (from 1). */
    public sealed interface Line {
        int sample();

        int lineNumber();

        /** A line to parse. */
        record Text(int sample, int lineNumber, String text) implements Line {
        }

        /** A line that is no text this reader hands out, and why; it is skipped and reported. */
        record Unreadable(int sample, int lineNumber, String reason) implements Line {
        }
    }

    private SampleLines() {
    }

    /** How many samples {@code file} in {@code folder} has, counting no further than {@code limit}. */
    public static int count(ObjectStore folder, String file, int limit) throws IOException {
        int[] seen = {0};
        scan(folder, file, line -> ++seen[0] < limit);
        return seen[0];
    }

    /** The samples of {@code range} that {@code file} has (fewer, or none, where the file ends first). */
    public static List<Line> range(ObjectStore folder, String file, SampleRange range) throws IOException {
        List<Line> lines = new ArrayList<>();
        scan(folder, file, line -> {
            if (range.contains(line.sample())) {
                lines.add(line);
            }
            return line.sample() + 1 < range.end();
        });
        return lines;
    }

    /** Hands each sample to {@code visitor} in file order while it answers true. */
    private static void scan(ObjectStore folder, String file, Predicate<Line> visitor) throws IOException {
        try (InputStream in = folder.read(file, 0, folder.size(file))) {
            new Scanner(in, visitor).run();
        }
    }

    /** Splits the bytes into lines, keeping at most {@link #MAX_LINE_BYTES} of one. */
    private static final class Scanner {
        private final InputStream in;
        private final Predicate<Line> visitor;
        private final byte[] block = new byte[READ_BYTES];
        private byte[] line = new byte[4096];
        private int kept;
        private long length;
        private boolean blank = true;
        private int lineNumber;
        private int sample;

        Scanner(InputStream in, Predicate<Line> visitor) {
            this.in = in;
            this.visitor = visitor;
        }

        void run() throws IOException {
            boolean afterCarriageReturn = false;
            boolean pending = false;
            for (int read = in.read(block); read >= 0; read = in.read(block)) {
                for (int i = 0; i < read; i++) {
                    byte b = block[i];
                    if (b == '\n' && afterCarriageReturn) {
                        afterCarriageReturn = false;
                        continue;
                    }
                    afterCarriageReturn = b == '\r';
                    if (b == '\n' || b == '\r') {
                        pending = false;
                        if (!endLine()) {
                            return;
                        }
                    } else {
                        pending = true;
                        append(b);
                    }
                }
            }
            if (pending) {
                endLine();
            }
        }

        private void append(byte b) {
            length++;
            if (blank && !asciiWhitespace(b)) {
                blank = false;
            }
            if (kept < MAX_LINE_BYTES) {
                if (kept == line.length) {
                    line = Arrays.copyOf(line, Math.min(MAX_LINE_BYTES, line.length * 2));
                }
                line[kept++] = b;
            }
        }

        /** Hands the line over unless it is blank; false once the visitor wants no more. */
        private boolean endLine() {
            lineNumber++;
            Line result = null;
            if (length > MAX_LINE_BYTES) {
                if (!blank) {
                    result = new Line.Unreadable(sample, lineNumber, String.format(Locale.ROOT, "the line is %,d"
                            + " bytes long, more than the %,d bytes a calibration line may have (README, Limits and"
                            + " guarantees)", length, MAX_LINE_BYTES));
                }
            } else {
                result = decode();
            }
            kept = 0;
            length = 0;
            blank = true;
            // One long line must not keep its megabyte for the rest of the file.
            if (line.length > 64 * 1024) {
                line = new byte[4096];
            }
            if (result == null) {
                return true;
            }
            sample++;
            return visitor.test(result);
        }

        /** The line as text, or why it is none; null for a blank line. */
        private Line decode() {
            CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
            ByteBuffer bytes = ByteBuffer.wrap(line, 0, kept);
            CharBuffer chars = CharBuffer.allocate(kept);
            CoderResult result = decoder.decode(bytes, chars, true);
            if (!result.isError()) {
                result = decoder.flush(chars);
            }
            if (result.isError()) {
                return new Line.Unreadable(sample, lineNumber, "the line is not valid UTF-8: byte "
                        + String.format("0x%02x", line[bytes.position()] & 0xff) + " at offset " + bytes.position()
                        + " cannot start or continue a character");
            }
            String text = chars.flip().toString();
            return text.isBlank() ? null : new Line.Text(sample, lineNumber, text);
        }

        /** The bytes {@link String#isBlank} counts as white space among ASCII. */
        private static boolean asciiWhitespace(byte b) {
            return b == ' ' || (b >= 0x09 && b <= 0x0d) || (b >= 0x1c && b <= 0x1f);
        }
    }
}
