package io.reapomni.cli.stack;

/** How one part of a stack ended when the stack was stopped. */
public record PartStopped(String name, long pid, Outcome outcome) {

    public enum Outcome {
        /** It ended after SIGTERM. */
        TERMINATED,
        /** It ignored SIGTERM for the grace period and was killed. */
        KILLED,
        /** It was not running any more, or its pid now belongs to another process, which is left alone. */
        GONE
    }
}
