package io.reapomni.childjvm;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts a server in a child JVM and returns once the child has printed its {@link ReadyLine}. The child outlives
 * this JVM unless stopped: that is what keeps a local stack running after the CLI has exited.
 */
public final class ChildJvmLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(ChildJvmLauncher.class);
    private static final Duration REAP_AFTER_FAILURE = Duration.ofSeconds(10);

    private ChildJvmLauncher() {
    }

    /**
     * @throws ChildStartException when the child exits, or stays silent for {@code readyTimeout}, before its ready
     *                             line; a silent child is killed
     * @throws IOException         when the log cannot be created or the JVM cannot be started
     */
    public static ChildProcess start(ChildJvmSpec spec, Duration readyTimeout) throws IOException {
        long started = System.nanoTime();
        Files.createDirectories(spec.logFile().getParent());
        ProcessBuilder builder = new ProcessBuilder(spec.command())
                .redirectError(ProcessBuilder.Redirect.appendTo(spec.logFile().toFile()));
        builder.environment().putAll(spec.environment());
        Process process = builder.start();
        // The child reads nothing; an open pipe would tie it to this JVM.
        process.getOutputStream().close();
        ChildStdout stdout = ChildStdout.follow(process, spec.logFile(), spec.name() + "-stdout-" + process.pid());
        ReadyLine ready = awaitReady(spec, process, stdout, readyTimeout);
        LOG.info("{} (pid {}) ready after {} ms: {}", spec.name(), process.pid(),
                Duration.ofNanos(System.nanoTime() - started).toMillis(), ready.format());
        return new ChildProcess(process.toHandle(), ready, spec.logFile());
    }


    private static ReadyLine awaitReady(ChildJvmSpec spec, Process process, ChildStdout stdout, Duration timeout)
            throws ChildStartException {
        try {
            return stdout.ready().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw failure(spec, endAfterClosedStdout(process));
        } catch (TimeoutException e) {
            ChildProcess.stop(process.toHandle(), REAP_AFTER_FAILURE);
            throw failure(spec, "was not ready within " + timeout.toMillis() + " ms and was stopped");
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw failure(spec, "was stopped: interrupted while waiting for it");
        }
    }

    /** A child whose stdout has ended is normally exiting; its status says why, once it is there. */
    private static String endAfterClosedStdout(Process process) throws ChildStartException {
        try {
            if (process.waitFor(REAP_AFTER_FAILURE.toMillis(), TimeUnit.MILLISECONDS)) {
                return "exited with status " + process.exitValue() + " before it was ready";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ChildProcess.stop(process.toHandle(), REAP_AFTER_FAILURE);
        return "closed its stdout before it was ready and was stopped";
    }

    private static ChildStartException failure(ChildJvmSpec spec, String what) {
        return new ChildStartException(spec.name() + " " + what + "; log " + spec.logFile() + " ends with:\n"
                + LogTail.of(spec.logFile()));
    }
}
