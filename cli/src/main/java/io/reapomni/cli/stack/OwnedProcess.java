package io.reapomni.cli.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Finds the live process that a {@link StackPart} records, refusing a pid that now belongs to another process: a
 * stack's pids may have been reused since it was started, and signalling a stranger's process must never happen.
 */
public final class OwnedProcess {

    private OwnedProcess() {
    }

    /** The part's process when it is alive and still the same process (start time and command line). */
    public static Optional<ProcessHandle> find(StackPart part) {
        return ProcessHandle.of(part.pid())
                .filter(ProcessHandle::isAlive)
                .filter(process -> process.info().startInstant().filter(part.startInstant()::equals).isPresent())
                .filter(process -> process.info().commandLine()
                        .filter(line -> line.contains(part.commandMarker())).isPresent());
    }

    /** What a later command will compare: the process's start instant as the operating system reports it. */
    static StackPart describe(String name, ProcessHandle process, String commandMarker, int port,
                              Path logFile, Duration startup) {
        Instant started = process.info().startInstant().orElseThrow(() -> new IllegalStateException(
                "the start time of process " + process.pid() + " is not available; it cannot be stopped safely later"));
        return new StackPart(name, process.pid(), started, commandMarker, port, logFile, startup);
    }
}
