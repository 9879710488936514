package io.reapomni.common.job;

import io.reapomni.common.storage.LocalObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class SampleLinesTest {

    @TempDir
    Path dir;

    @Test
    void aLineLongerThanTheLimitIsASampleReportedWithItsLengthAndTheLinesAfterItKeepTheirNumbers() throws Exception {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(line("{\"id\": \"a\"}"));
        file.writeBytes(("{\"id\": \"huge\", \"text\": \"" + "x".repeat(SampleLines.MAX_LINE_BYTES) + "\"}\n")
                .getBytes(StandardCharsets.UTF_8));
        file.writeBytes(line("{\"id\": \"b\"}"));
        List<SampleLines.Line> lines = lines(file.toByteArray(), new SampleRange(0, 10));

        assertThat(lines).extracting(SampleLines.Line::sample, SampleLines.Line::lineNumber)
                .containsExactly(tuple(0, 1), tuple(1, 2), tuple(2, 3));
        assertThat(lines.get(1)).isInstanceOfSatisfying(SampleLines.Line.Unreadable.class, huge ->
                assertThat(huge.reason()).isEqualTo("the line is 1,048,602 bytes long, more than the 1,048,576"
                        + " bytes a calibration line may have (README, Limits and guarantees)"));
        assertThat(lines.get(2)).isEqualTo(new SampleLines.Line.Text(2, 3, "{\"id\": \"b\"}"));
    }

    @Test
    void aLineOfTheLimitExactlyIsRead() throws Exception {
        String text = "x".repeat(SampleLines.MAX_LINE_BYTES);

        assertThat(lines((text + "\n").getBytes(StandardCharsets.UTF_8), new SampleRange(0, 1)))
                .containsExactly(new SampleLines.Line.Text(0, 1, text));
    }

    @Test
    void invalidUtf8IsNotReplacedButTheLineIsReportedWhereItBreaks() throws Exception {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(line("{\"id\": \"ok\", \"text\": \"café\"}"));
        file.writeBytes(new byte[] {'{', '"', 'i', 'd', '"', ':', ' ', '"', (byte) 0xff, '"', '}', '\n'});
        // A character cut short at the end of the line.
        file.writeBytes(new byte[] {'"', (byte) 0xc3, '\n'});

        List<SampleLines.Line> lines = lines(file.toByteArray(), new SampleRange(0, 10));

        assertThat(lines.get(0)).isEqualTo(new SampleLines.Line.Text(0, 1, "{\"id\": \"ok\", \"text\": \"café\"}"));
        assertThat(lines.get(1)).isEqualTo(new SampleLines.Line.Unreadable(1, 2, "the line is not valid UTF-8:"
                + " byte 0xff at offset 8 cannot start or continue a character"));
        assertThat(lines.get(2)).isInstanceOfSatisfying(SampleLines.Line.Unreadable.class, cut ->
                assertThat(cut.reason()).contains("byte 0xc3 at offset 1"));
    }

    @Test
    void blankLinesAreNoSamplesWhateverTheLineEndingsAndLength() throws Exception {
        byte[] file = ("{\"id\": 1}\r\n\r\n   \t\r{\"id\": 2}\r" + " ".repeat(SampleLines.MAX_LINE_BYTES + 5)
                + "\n{\"id\": 3}").getBytes(StandardCharsets.UTF_8);

        assertThat(lines(file, new SampleRange(0, 10)))
                .extracting(SampleLines.Line::sample, SampleLines.Line::lineNumber)
                .containsExactly(tuple(0, 1), tuple(1, 4), tuple(2, 6));
        assertThat(SampleLines.count(new LocalObjectStore(dir), "data.jsonl", 100)).isEqualTo(3);
    }

    @Test
    void unreadableLinesCountAsSamples() throws Exception {
        Files.write(dir.resolve("data.jsonl"), new byte[] {'a', '\n', (byte) 0xfe, '\n', 'b', '\n'});

        assertThat(SampleLines.count(new LocalObjectStore(dir), "data.jsonl", 100)).isEqualTo(3);
    }

    private List<SampleLines.Line> lines(byte[] content, SampleRange range) throws Exception {
        Files.write(dir.resolve("data.jsonl"), content);
        return SampleLines.range(new LocalObjectStore(dir), "data.jsonl", range);
    }

    private static byte[] line(String text) {
        return (text + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
