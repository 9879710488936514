package io.reapomni.cli.prune;

import io.reapomni.common.rewrite.StopSignal;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Stops an in-process rewrite cleanly when the JVM is asked to exit (SIGTERM, Ctrl-C): a shutdown hook asks the
 * rewrite to stop and interrupts it mid-file, then holds the exit until the command has ended the rewrite and said
 * where its finished files are kept (at most {@link #GRACE}). Without it the JVM would exit mid-write, leaving the
 * same resumable staging area but no word about it.
 */
final class StopOnShutdown implements StopSignal, AutoCloseable {
    static final Duration GRACE = Duration.ofSeconds(30);

    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final Thread hook;

    private StopOnShutdown(Thread worker) {
        hook = new Thread(() -> {
            stopping.set(true);
            worker.interrupt();
            try {
                ended.await(GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "stop-rewrite");
    }

    /** Watches for the JVM's exit on behalf of the calling thread, which runs the rewrite. */
    static StopOnShutdown install() {
        StopOnShutdown stop = new StopOnShutdown(Thread.currentThread());
        Runtime.getRuntime().addShutdownHook(stop.hook);
        return stop;
    }

    @Override
    public boolean stopRequested() {
        return stopping.get();
    }

    /** The rewrite has ended and its outcome is told: an exit waiting for it may go on. */
    @Override
    public void close() {
        ended.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running: it returns now that the rewrite has ended.
        }
    }
}
