package io.reapomni.common.storage;

import io.reapomni.common.format.UntrustedText;

import java.nio.charset.StandardCharsets;

/**
 * The rules every object key (and every child prefix) obeys. Because no key may contain {@code .} or {@code ..}
 * segments, a leading slash, a backslash or empty segments, joining a key to a store's root can only name something
 * under that root: this is what keeps every request inside the store a user opened.
 */
public final class ObjectKeys {

    /** S3's limit for object names; local keys follow it so that a checkpoint can move between the two. */
    public static final int MAX_UTF8_BYTES = 1024;

    private ObjectKeys() {
    }

    /** Returns {@code key} when it is valid; otherwise throws, naming the key and the rule it breaks. */
    public static String validate(String key) {
        if (key == null || key.isEmpty()) {
            throw invalid(key == null ? "null" : "", "a key must not be empty");
        }
        if (key.startsWith("/")) {
            throw invalid(key, "a key must not start with '/' (keys are relative to the store's root)");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '\\') {
                throw invalid(key, "a key must not contain a backslash");
            }
            if (Character.isISOControl(c)) {
                throw invalid(key, "a key must not contain control characters");
            }
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty()) {
                throw invalid(key, "a key must not contain empty segments ('//' or a trailing '/')");
            }
            if (segment.equals(".") || segment.equals("..")) {
                throw invalid(key, "a key must not contain '" + segment + "' segments");
            }
        }
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_UTF8_BYTES) {
            throw invalid(key, "a key must be at most " + MAX_UTF8_BYTES + " UTF-8 bytes, this one has " + bytes);
        }
        return key;
    }

    private static IllegalArgumentException invalid(String key, String rule) {
        return new IllegalArgumentException("invalid object key \"" + UntrustedText.printable(key) + "\": " + rule);
    }
}
