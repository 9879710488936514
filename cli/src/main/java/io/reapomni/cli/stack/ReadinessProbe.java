package io.reapomni.cli.stack;

import io.reapomni.childjvm.LogTail;
import io.reapomni.childjvm.Loopback;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks a service's readiness endpoint ({@code /q/health/ready}) until it answers UP, within a bound. Between two
 * questions it waits on the process's exit, so a service that dies is reported at once, with its log.
 */
final class ReadinessProbe {

    static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ReadinessProbe() {
    }

    static URI readinessUri(int port) {
        return URI.create("http://" + Loopback.HOST + ":" + port + "/q/health/ready");
    }

    /** One question: whether the service answers UP now. */
    static boolean isReady(int port) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(readinessUri(port))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"UP\"");
        } catch (IOException e) {
            // Not listening yet, or answering DOWN with a closed connection: not ready.
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** @throws StackStartException when the process exits, or is not ready within {@code bound} */
    static void awaitReady(String name, ProcessHandle process, int port, Path logFile, Duration bound)
            throws StackStartException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!isReady(port)) {
            if (System.nanoTime() > deadline) {
                throw new StackStartException(name + " was not ready within " + bound.toSeconds() + " s ("
                        + readinessUri(port) + "); log " + logFile + " ends with:\n" + LogTail.of(logFile));
            }
            if (hasExitedWithin(process, POLL_INTERVAL)) {
                throw new StackStartException(name + " exited before it was ready; log " + logFile
                        + " ends with:\n" + LogTail.of(logFile));
            }
        }
    }

    private static boolean hasExitedWithin(ProcessHandle process, Duration wait) throws StackStartException {
        try {
            process.onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new StackStartException("cannot observe process " + process.pid(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackStartException("interrupted while waiting for process " + process.pid(), e);
        }
    }
}
