package io.reapomni.common.checkpoint;

/** Parameters and bytes of one component (or of a whole checkpoint). */
public record ComponentSize(long parameters, long bytes) {
    public static final ComponentSize ZERO = new ComponentSize(0, 0);

    public ComponentSize plus(ComponentSize other) {
        return new ComponentSize(parameters + other.parameters, bytes + other.bytes);
    }
}
