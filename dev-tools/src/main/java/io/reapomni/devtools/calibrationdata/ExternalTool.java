package io.reapomni.devtools.calibrationdata;

import io.reapomni.calibration.tool.ToolFailure;
import io.reapomni.calibration.tool.ToolRun;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A command-line program that the generator runs, such as {@code espeak-ng} or {@code ffmpeg}, stopped with every
 * process it started when it runs past its timeout.
 *
 * @param command       the program's name, looked up on the PATH
 * @param versionOption an option that makes the program print its version and succeed, to tell whether it is there
 */
public record ExternalTool(String command, String versionOption) {
    public static final ExternalTool ESPEAK_NG = new ExternalTool("espeak-ng", "--version");
    public static final ExternalTool FFMPEG = new ExternalTool("ffmpeg", "-version");

    /** How long telling the version may take: a program that cannot do even that in time is not usable. */
    private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(30);
    /** The programs write files; what they print is kept only to explain a failure. */
    private static final long KEPT_OUTPUT = 64 * 1024;

    public boolean installed() {
        try {
            tool(List.of(versionOption), VERSION_TIMEOUT, "telling its version").output();
            return true;
        } catch (ToolFailure e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs the program with {@code arguments}, for at most {@code timeout}. */
    public void run(List<String> arguments, Duration timeout) throws SampleGenerationException {
        try {
            tool(arguments, timeout, "on " + String.join(" ", arguments)).output();
        } catch (ToolFailure e) {
            throw new SampleGenerationException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SampleGenerationException("interrupted while " + command + " ran", e);
        }
    }

    private ToolRun tool(List<String> arguments, Duration timeout, String doing) {
        List<String> commandLine = new ArrayList<>();
        commandLine.add(command);
        commandLine.addAll(arguments);
        return new ToolRun(commandLine, timeout, KEPT_OUTPUT, doing);
    }
}
