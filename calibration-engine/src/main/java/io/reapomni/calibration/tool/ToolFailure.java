package io.reapomni.calibration.tool;

/** An external program that did not give its output; the message names the program, what it was doing and why. */
public final class ToolFailure extends Exception {

    /** How the program failed, for a caller that adds advice of its own. */
    public enum Kind {
        /** It could not be started: not installed, not on the PATH, not executable. */
        NOT_STARTED,
        /** It ran past its timeout and was stopped, with every process it started. */
        TIMED_OUT,
        /** It wrote more output than the caller takes and was stopped. */
        TOO_MUCH_OUTPUT,
        /** It exited with a status other than 0. */
        FAILED
    }

    private final Kind kind;

    ToolFailure(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
