package io.reapomni.service;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The deadline of one handler running on its thread. Either the handler finishes first, or the deadline passes
 * first and {@code onExpiry} runs (once) on the timer's thread, the handler's thread is interrupted, and, unless
 * the handler stops within the grace, {@code onStuck} runs. Whichever comes first decides: a handler that finishes
 * after its deadline learns it from {@link #finish()}, and events it tries to publish after that are refused
 * ({@link #expiredOnThisThread()}).
 */
final class HandlerWatch {

    private enum State { RUNNING, FINISHED, EXPIRED }

    private static final ThreadLocal<HandlerWatch> CURRENT = new ThreadLocal<>();

    private final Thread handler;
    private final ScheduledFuture<?> expiry;
    // Guarded by this: the timer's expiry (state, onExpiry, interrupt) and the handler's finish never interleave.
    private State state = State.RUNNING;
    private boolean ended;

    private HandlerWatch(Thread handler, ScheduledExecutorService timer, Duration deadline, Duration stopGrace,
                         Runnable onExpiry, Runnable onStuck) {
        this.handler = handler;
        this.expiry = timer.schedule(() -> {
            if (expire(onExpiry)) {
                timer.schedule(() -> {
                    if (!hasEnded()) {
                        onStuck.run();
                    }
                }, stopGrace.toMillis(), TimeUnit.MILLISECONDS);
            }
        }, deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Watches the calling thread's handler from now on. */
    static HandlerWatch start(ScheduledExecutorService timer, Duration deadline, Duration stopGrace,
                              Runnable onExpiry, Runnable onStuck) {
        HandlerWatch watch = new HandlerWatch(Thread.currentThread(), timer, deadline, stopGrace, onExpiry, onStuck);
        CURRENT.set(watch);
        return watch;
    }

    /** Whether the handler running on this thread has passed its deadline: what it publishes now is too late. */
    static boolean expiredOnThisThread() {
        HandlerWatch watch = CURRENT.get();
        return watch != null && watch.expired();
    }

    /**
     * Called by the handler's thread when the handler has ended: true when it ended in time, false when its deadline
     * passed first (its job is already failed); then the interrupt the deadline caused is cleared, so that the thread
     * goes on to the next message.
     */
    synchronized boolean finish() {
        CURRENT.remove();
        ended = true;
        if (state == State.RUNNING) {
            state = State.FINISHED;
            expiry.cancel(false);
            return true;
        }
        Thread.interrupted();
        return false;
    }

    private synchronized boolean expire(Runnable onExpiry) {
        if (state != State.RUNNING) {
            return false;
        }
        state = State.EXPIRED;
        onExpiry.run();
        handler.interrupt();
        return true;
    }

    private synchronized boolean expired() {
        return state == State.EXPIRED;
    }

    private synchronized boolean hasEnded() {
        return ended;
    }
}
