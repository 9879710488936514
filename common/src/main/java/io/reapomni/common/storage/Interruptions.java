package io.reapomni.common.storage;

import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;

/**
 * Whether a failure is the thread being interrupted (a service stopping, a command cancelled) rather than something
 * going wrong: interrupted I/O ({@link InterruptedIOException} but not a socket timeout, which is a slow network),
 * a channel closed by the interrupt, or an {@link InterruptedException} anywhere in the chain.
 */
public final class Interruptions {
    private Interruptions() {
    }

    public static boolean causedBy(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InterruptedException || cause instanceof ClosedByInterruptException
                    || (cause instanceof InterruptedIOException && !(cause instanceof SocketTimeoutException))) {
                return true;
            }
        }
        return false;
    }
}
