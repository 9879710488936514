package io.reapomni.service;

import java.util.Optional;

/**
 * Which failures leave a service unable to trust its own state. A {@link VirtualMachineError} other than a
 * {@link StackOverflowError} (an {@link OutOfMemoryError}, an {@link InternalError}) may have struck any thread
 * anywhere, half way through any update: the process can still report the job it was on, but the next job
 * deserves a fresh one. A stack overflow unwinds to the handler like an exception and leaves nothing half done, and
 * a {@link LinkageError} fails the job that met it without making the process less trustworthy than before.
 */
public final class FatalErrors {

    /** Causes looked at below a failure: enough for the wrappers of executors and clients, and never a loop. */
    private static final int CAUSE_DEPTH = 16;

    private FatalErrors() {
    }

    /** The fatal error that {@code failure} is, or that caused it (an executor or client may have wrapped it). */
    public static Optional<VirtualMachineError> fatalIn(Throwable failure) {
        Throwable current = failure;
        for (int depth = 0; current != null && depth < CAUSE_DEPTH; depth++) {
            if (current instanceof VirtualMachineError error && !(error instanceof StackOverflowError)) {
                return Optional.of(error);
            }
            current = current.getCause();
        }
        return Optional.empty();
    }
}
