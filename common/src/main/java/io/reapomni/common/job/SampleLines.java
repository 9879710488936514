package io.reapomni.common.job;

import io.reapomni.common.storage.ObjectStore;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The samples of a calibration JSONL file in a store. Every non-blank line is one sample, usable or not, numbered
 * from 0 in file order; blank lines are no samples. Planning counts samples and calibration tasks read ranges of them
 * by this one rule, so that every line is run, or reported as skipped, by exactly one task. The file is streamed and
 * read no further than needed.
 */
public final class SampleLines {

    /** One sample: its number among the file's samples, its line number (from 1) and its text. */
    public record Line(int sample, int lineNumber, String text) {
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
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                folder.read(file, 0, folder.size(file)), StandardCharsets.UTF_8))) {
            int lineNumber = 0;
            int sample = 0;
            for (String text = reader.readLine(); text != null; text = reader.readLine()) {
                lineNumber++;
                if (!text.isBlank() && !visitor.test(new Line(sample++, lineNumber, text))) {
                    return;
                }
            }
        }
    }
}
