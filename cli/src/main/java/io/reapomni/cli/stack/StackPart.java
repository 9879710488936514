package io.reapomni.cli.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One process of a running stack, as the state file records it.
 *
 * @param name          "kafka", "s3" or a service module's name
 * @param pid           its process id
 * @param startInstant  when the operating system started it; with {@code commandMarker} it tells a later command
 *                      whether the pid still is this process (pids are reused)
 * @param commandMarker a string that its command line contains
 * @param port          the port it serves on, on 127.0.0.1
 * @param logFile       where its output goes
 * @param startup       from its launch until it was ready
 */
public record StackPart(String name, long pid, Instant startInstant, String commandMarker, int port, Path logFile,
                        Duration startup) {

    public StackPart {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(startInstant, "startInstant");
        Objects.requireNonNull(commandMarker, "commandMarker");
        Objects.requireNonNull(logFile, "logFile");
        Objects.requireNonNull(startup, "startup");
    }

    /** Whether this is the broker or the S3 endpoint (which the services need until they have stopped). */
    public boolean server() {
        return name.equals(EmbeddedStack.KAFKA) || name.equals(EmbeddedStack.S3);
    }
}
