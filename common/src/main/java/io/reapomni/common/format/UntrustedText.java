package io.reapomni.common.format;

/** Text from outside (keys, ids, names) as it may appear in a message: one line, bounded, control characters escaped. */
public final class UntrustedText {
    private static final int SHOWN_CHARACTERS = 200;

    private UntrustedText() {
    }

    /** {@code text} with control characters escaped ({@code \u000a}) and cut after 200 characters ({@code ...}). */
    public static String printable(String text) {
        StringBuilder shown = new StringBuilder();
        text.codePoints().limit(SHOWN_CHARACTERS).forEach(c -> {
            if (Character.isISOControl(c)) {
                shown.append(String.format("\\u%04x", c));
            } else {
                shown.appendCodePoint(c);
            }
        });
        return text.codePointCount(0, text.length()) > SHOWN_CHARACTERS ? shown + "..." : shown.toString();
    }
}
