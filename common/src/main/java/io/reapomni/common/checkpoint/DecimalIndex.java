package io.reapomni.common.checkpoint;

import java.util.OptionalInt;

/** Layer and expert numbers as transformers writes them in tensor names and as plans key them: plain decimals. */
public final class DecimalIndex {
    private static final int MAX_DIGITS = 9;

    private DecimalIndex() {
    }

    /** The value of a decimal without sign or leading zeros; empty for anything else. */
    public static OptionalInt parse(String text) {
        if (text.isEmpty() || text.length() > MAX_DIGITS || (text.length() > 1 && text.charAt(0) == '0')) {
            return OptionalInt.empty();
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return OptionalInt.empty();
            }
        }
        return OptionalInt.of(Integer.parseInt(text));
    }
}
