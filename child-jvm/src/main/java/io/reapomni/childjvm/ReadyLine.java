package io.reapomni.childjvm;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The one line a server process prints on its stdout once it serves: {@code READY key=value key=value}, for example
 * {@code READY bootstrap=127.0.0.1:9092}. Keys are lower-case words with dashes; values hold no whitespace.
 */
public record ReadyLine(Map<String, String> values) {

    public static final String KEYWORD = "READY";

    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9-]*");
    private static final Pattern VALUE = Pattern.compile("\\S+");

    public ReadyLine {
        values.forEach((key, value) -> {
            if (!KEY.matcher(key).matches() || !VALUE.matcher(value).matches()) {
                throw new IllegalArgumentException("not a ready-line entry: " + key + "=" + value);
            }
        });
        values = Map.copyOf(values);
    }

    public static ReadyLine of(String key, String value) {
        return new ReadyLine(Map.of(key, value));
    }

    /** The ready line in {@code line}, or empty when the line is anything else (a log line, say). */
    public static Optional<ReadyLine> parse(String line) {
        String[] words = line.strip().split("\\s+");
        if (!words[0].equals(KEYWORD)) {
            return Optional.empty();
        }
        Map<String, String> values = new TreeMap<>();
        for (int i = 1; i < words.length; i++) {
            int equals = words[i].indexOf('=');
            if (equals <= 0) {
                return Optional.empty();
            }
            values.put(words[i].substring(0, equals), words[i].substring(equals + 1));
        }
        return Optional.of(new ReadyLine(values));
    }

    /** The value of {@code key}; a missing key means the server and its launcher disagree about the protocol. */
    public String value(String key) {
        String value = values.get(key);
        if (value == null) {
            throw new IllegalStateException("the ready line has no " + key + ": " + format());
        }
        return value;
    }

    /** {@code READY} and the entries in key order. */
    public String format() {
        return new TreeMap<>(values).entrySet().stream()
                .map(entry -> " " + entry.getKey() + "=" + entry.getValue())
                .collect(Collectors.joining("", KEYWORD, ""));
    }
}
