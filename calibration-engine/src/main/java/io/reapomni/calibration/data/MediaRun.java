package io.reapomni.calibration.data;

import java.util.Objects;

/**
 * A sample's medium and the run of pad ids its encoding replaces: {@code count} ids from {@code start}.
 *
 * @param <T> the medium's encoder input (log-mel features, video patches)
 */
public record MediaRun<T>(T media, int start, int count) {
    public MediaRun {
        Objects.requireNonNull(media, "media");
        if (start < 0 || count < 1) {
            throw new IllegalArgumentException("a pad run needs a start of at least 0 and at least one pad, not "
                    + count + " at " + start);
        }
    }

    public int end() {
        return start + count;
    }
}
