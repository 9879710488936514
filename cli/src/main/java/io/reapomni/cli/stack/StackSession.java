package io.reapomni.cli.stack;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;

/**
 * The stack that one job runs on: the running stack of the run folder when there is one (left running afterwards),
 * else a stack started for this job and stopped when the session closes, also on Ctrl-C.
 */
public final class StackSession implements AutoCloseable {

    private final StackFolder folder;
    private final StackState state;
    private final boolean startedHere;
    private final Optional<Thread> stopOnExit;

    private StackSession(StackFolder folder, StackState state, boolean startedHere, Optional<Thread> stopOnExit) {
        this.folder = folder;
        this.state = state;
        this.startedHere = startedHere;
        this.stopOnExit = stopOnExit;
    }

    /** @param settings those of a stack started here; a running stack is used as it is */
    public static StackSession open(StackFolder folder, ReapHome home, StackSettings settings, PrintWriter out)
            throws IOException {
        EmbeddedStack.RunningOrStarted stack = EmbeddedStack.runningOrStart(folder, home, settings, out);
        if (stack.startup().isEmpty()) {
            out.println("Using the running stack in " + folder.root() + " (" + stack.state().calibrationWorkers()
                    + " calibration workers)");
            out.flush();
            return new StackSession(folder, stack.state(), false, Optional.empty());
        }
        StartupReport.print(out, stack.startup().get());
        Thread hook = new Thread(() -> stopQuietly(folder, stack.state()), "stack-stop-on-exit");
        Runtime.getRuntime().addShutdownHook(hook);
        return new StackSession(folder, stack.state(), true, Optional.of(hook));
    }

    public StackState state() {
        return state;
    }

    public StackFolder folder() {
        return folder;
    }

    /** Stops the stack when this session started it. */
    @Override
    public void close() throws IOException {
        if (!startedHere) {
            return;
        }
        stopOnExit.ifPresent(Runtime.getRuntime()::removeShutdownHook);
        try (StackLock lock = StackLock.acquire(folder)) {
            EmbeddedStack.stop(folder, state);
        }
    }

    private static void stopQuietly(StackFolder folder, StackState state) {
        try {
            EmbeddedStack.stop(folder, state);
        } catch (IOException e) {
            System.err.println("reap-omni: the embedded stack in " + folder.root() + " did not stop cleanly: "
                    + e.getMessage());
        }
    }
}
