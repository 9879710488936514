package io.reapomni.childjvm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;

/**
 * Reads a child's stdout on its own thread: completes {@link #ready()} with the first ready line, and appends every
 * line to the log. The future fails when stdout ends first, that is, when the child has exited.
 */
final class ChildStdout implements Runnable {

    private final InputStream stdout;
    private final Path logFile;
    private final CompletableFuture<ReadyLine> ready = new CompletableFuture<>();

    private ChildStdout(InputStream stdout, Path logFile) {
        this.stdout = stdout;
        this.logFile = logFile;
    }

    static ChildStdout follow(Process process, Path logFile, String threadName) {
        ChildStdout reader = new ChildStdout(process.getInputStream(), logFile);
        Thread thread = new Thread(reader, threadName);
        // A launcher that exits leaves its children running; this thread must not keep the launcher alive.
        thread.setDaemon(true);
        thread.start();
        return reader;
    }

    CompletableFuture<ReadyLine> ready() {
        return ready;
    }

    @Override
    public void run() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stdout, StandardCharsets.UTF_8));
             Writer log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8,
                     StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                log.write(line);
                log.write(System.lineSeparator());
                log.flush();
                if (!ready.isDone()) {
                    ReadyLine.parse(line).ifPresent(ready::complete);
                }
            }
            ready.completeExceptionally(new IllegalStateException("stdout ended without a ready line"));
        } catch (IOException e) {
            ready.completeExceptionally(new UncheckedIOException(e));
        }
    }
}
