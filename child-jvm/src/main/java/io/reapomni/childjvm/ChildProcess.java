package io.reapomni.childjvm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A server running in a child JVM, as {@link ChildJvmLauncher} left it: serving, and announced by its ready line. */
public final class ChildProcess {

    /** Kafka's controlled shutdown of one node takes about a second; a hung one is killed after this. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(20);
    private static final Duration AFTER_KILL = Duration.ofSeconds(10);

    private final ProcessHandle process;
    private final ReadyLine ready;
    private final Path logFile;

    ChildProcess(ProcessHandle process, ReadyLine ready, Path logFile) {
        this.process = process;
        this.ready = ready;
        this.logFile = logFile;
    }

    public long pid() {
        return process.pid();
    }

    /** The values the child announced, e.g. its address. */
    public ReadyLine ready() {
        return ready;
    }

    /** Where the child's output goes. */
    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** {@link #stop(Duration)} with {@link #DEFAULT_GRACE}. */
    public StopOutcome stop() {
        return stop(DEFAULT_GRACE);
    }

    /**
     * Sends SIGTERM and waits up to {@code grace} for the child to end; kills it if it does not.
     *
     * @throws IllegalStateException when even a killed child has not ended within a further 10 s
     */
    public StopOutcome stop(Duration grace) {
        return stop(process, grace);
    }

    /**
     * Stops any process this JVM may signal the way {@link #stop(Duration)} does; for children started by an earlier
     * JVM, whose handles are found by pid. The caller checks first that the pid is still the process it means.
     */
    public static StopOutcome stop(ProcessHandle process, Duration grace) {
        if (!process.isAlive()) {
            return StopOutcome.ALREADY_ENDED;
        }
        process.destroy();
        if (awaitEnd(process, grace)) {
            return StopOutcome.TERMINATED;
        }
        process.destroyForcibly();
        if (awaitEnd(process, AFTER_KILL)) {
            return StopOutcome.KILLED;
        }
        throw new IllegalStateException("process " + process.pid() + " is still alive after SIGKILL");
    }

    private static boolean awaitEnd(ProcessHandle process, Duration bound) {
        try {
            process.onExit().get(bound.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot observe the end of process " + process.pid(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping process " + process.pid(), e);
        }
    }

    @Override
    public String toString() {
        return "ChildProcess[pid=" + pid() + ", " + ready.format() + ", log=" + logFile + "]";
    }
}
