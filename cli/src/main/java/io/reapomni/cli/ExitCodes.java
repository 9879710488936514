package io.reapomni.cli;

/** What the exit status of a command says. */
public final class ExitCodes {
    public static final int OK = 0;
    /** The job ran and failed (storage unreachable, a write failed). */
    public static final int FAILED = 1;
    /** The request was refused before anything was written: bad flags, a bad plan, a bad checkpoint. */
    public static final int BAD_INPUT = 2;

    private ExitCodes() {
    }
}
