package io.reapomni.common.checkpoint;

import java.util.List;

/** Formats a list of problems as one message, so that a user fixes them all in one round. */
public final class Problems {
    private static final int SHOWN = 25;

    private Problems() {
    }

    public static String describe(String headline, List<String> problems) {
        StringBuilder text = new StringBuilder(headline).append(':');
        problems.stream().limit(SHOWN).forEach(problem -> text.append("\n  - ").append(problem));
        if (problems.size() > SHOWN) {
            text.append("\n  ... and ").append(problems.size() - SHOWN).append(" more");
        }
        return text.toString();
    }
}
