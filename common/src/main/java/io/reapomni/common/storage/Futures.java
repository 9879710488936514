package io.reapomni.common.storage;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** A background I/O task's result, with its failure rethrown as the task threw it. */
public final class Futures {
    private Futures() {
    }

    /** @throws InterruptedIOException when the waiting thread is interrupted ({@code waitingFor} says for what) */
    public static <T> T get(Future<T> future, String waitingFor) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for " + waitingFor);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IOException(cause);
        }
    }
}
