package io.reapomni.calibration.tool;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs an external program (ffmpeg, ffprobe, espeak-ng) with a timeout and a bound on the output kept: past either,
 * the program and every process it started are killed, so that a hostile or broken input can neither hang a worker
 * nor fill its memory. Standard output is the result; standard error is kept (its first {@value #ERROR_BYTES} bytes)
 * only to explain a failure. Both pipes are drained on their own threads, so that neither can fill up and block the
 * program.
 */
public final class ToolRun {

    /** The most output one array holds. */
    public static final long MAX_OUTPUT = Integer.MAX_VALUE - 8;

    private static final int ERROR_BYTES = 16 * 1024;
    /**
     * How long the pipes may take to close once the program ended: only a process it started and left running can
     * hold them open longer, and then the output is not trusted.
     */
    private static final Duration DRAIN_BOUND = Duration.ofSeconds(30);

    private final List<String> command;
    private final Duration timeout;
    private final long outputLimit;
    private final String doing;

    /**
     * @param command     the program and its arguments; the program is looked up on the PATH
     * @param timeout     how long it may run
     * @param outputLimit the most bytes of standard output taken; more stops it
     * @param doing       what it does, for messages ("decoding clips/a.mp4")
     */
    public ToolRun(List<String> command, Duration timeout, long outputLimit, String doing) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("a command names at least its program");
        }
        if (outputLimit < 0 || outputLimit > MAX_OUTPUT) {
            throw new IllegalArgumentException("a tool's output limit is 0 to " + MAX_OUTPUT + " bytes, not "
                    + outputLimit);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a tool's timeout must be positive, not " + timeout);
        }
        this.command = List.copyOf(command);
        this.timeout = timeout;
        this.outputLimit = outputLimit;
        this.doing = doing;
    }

    /** The program's standard output, once it has exited with status 0. */
    public byte[] output() throws ToolFailure, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new ToolFailure(ToolFailure.Kind.NOT_STARTED, program() + " cannot run (" + e.getMessage() + ")",
                    e);
        }
        AtomicBoolean overflowed = new AtomicBoolean();
        ChunkedBytes output = new ChunkedBytes();
        ChunkedBytes errors = new ChunkedBytes();
        Thread outputDrain = drain(process.getInputStream(), output, outputLimit, () -> {
            overflowed.set(true);
            killTree(process);
        });
        Thread errorDrain = drain(process.getErrorStream(), errors, ERROR_BYTES, () -> {
        });
        try {
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                killTree(process);
                throw new ToolFailure(ToolFailure.Kind.TIMED_OUT, program() + " did not finish " + doing + " within "
                        + seconds(timeout) + " and was stopped", null);
            }
            // Not stopped before the pipes are read to their end: stopping a process closes its pipes, and what the
            // drains had not read yet would be lost.
            outputDrain.join(DRAIN_BOUND.toMillis());
            errorDrain.join(DRAIN_BOUND.toMillis());
            if (overflowed.get()) {
                throw new ToolFailure(ToolFailure.Kind.TOO_MUCH_OUTPUT, program() + " wrote more than "
                        + outputLimit + " bytes " + doing + " and was stopped", null);
            }
            if (outputDrain.isAlive() || errorDrain.isAlive()) {
                throw new ToolFailure(ToolFailure.Kind.FAILED, program() + "'s output did not end " + doing
                        + " although it exited: a process it started holds it open", null);
            }
            if (process.exitValue() != 0) {
                throw new ToolFailure(ToolFailure.Kind.FAILED, program() + " failed " + doing + " (status "
                        + process.exitValue() + "): " + new String(errors.toByteArray(), StandardCharsets.UTF_8).trim(),
                        null);
            }
            return output.toByteArray();
        } catch (IOException e) {
            throw new ToolFailure(ToolFailure.Kind.FAILED, program() + " could not be run " + doing + ": "
                    + e.getMessage(), e);
        } finally {
            killTree(process);
        }
    }

    private String program() {
        return command.get(0);
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() / 1000.0 + " s";
    }

    /**
     * The program and what it started: children first captured, since a killed parent no longer has them. Stopping a
     * process also closes its pipes.
     */
    private static void killTree(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    /**
     * Copies {@code from} into {@code into} up to {@code limit} bytes; past it, calls {@code overflow} once and reads
     * on without keeping, until the pipe closes.
     */
    private static Thread drain(InputStream from, ChunkedBytes into, long limit, Runnable overflow) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            long kept = 0;
            boolean over = false;
            try (from) {
                for (int read = from.read(buffer); read >= 0; read = from.read(buffer)) {
                    int keep = (int) Math.max(0, Math.min(read, limit - kept));
                    into.write(buffer, 0, keep);
                    kept += keep;
                    if (keep < read && !over) {
                        over = true;
                        overflow.run();
                    }
                }
            } catch (IOException e) {
                // The pipe broke because the program was stopped: its status says how it ended.
            }
        }, "tool-output");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
