package io.reapomni.childjvm;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/**
 * The life of a server's own JVM: start it, announce it with a {@link ReadyLine} on stdout, serve until SIGTERM
 * (or any orderly JVM exit), then close it from a shutdown hook.
 */
public final class ServerProcess {

    private static final Logger LOG = LoggerFactory.getLogger(ServerProcess.class);

    /** Exit status for a bad command line or environment, as with most Unix tools. */
    static final int USAGE_ERROR = 2;
    static final int START_FAILURE = 1;

    /** What a started server leaves for this class: something to close and its ready line. */
    public record Started(AutoCloseable server, ReadyLine ready) {
    }

    @FunctionalInterface
    public interface Starter {
        Started start(ServerArguments arguments) throws Exception;
    }

    private ServerProcess() {
    }

    /**
     * Runs the server that {@code starter} starts from {@code args} until this JVM is asked to exit.
     *
     * @param name names the server in usage and failure messages
     */
    public static void run(String name, String[] args, Starter starter) {
        // Stdout carries the ready line and nothing else: a launcher reads it, and once the launcher has gone (a
        // stack left running) nobody drains it. Whatever else a library prints goes to stderr, the log.
        PrintStream protocol = System.out;
        System.setOut(System.err);
        Started started;
        try {
            started = starter.start(ServerArguments.parse(args));
        } catch (IllegalArgumentException e) {
            System.err.println(name + ": " + e.getMessage() + "\nusage: " + name + " " + ServerArguments.USAGE);
            System.exit(USAGE_ERROR);
            return;
        } catch (Exception e) {
            LOG.error("{} did not start", name, e);
            System.exit(START_FAILURE);
            return;
        }
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> close(started.server(), closed), "server-shutdown"));
        protocol.println(started.ready().format());
        protocol.flush();
        awaitQuietly(closed);
    }

    private static void close(AutoCloseable server, CountDownLatch closed) {
        try {
            server.close();
        } catch (Exception e) {
            LOG.error("the server did not close cleanly", e);
        } finally {
            closed.countDown();
        }
    }

    /** Keeps the main thread, so that a server whose threads are all daemons still serves. */
    private static void awaitQuietly(CountDownLatch closed) {
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
