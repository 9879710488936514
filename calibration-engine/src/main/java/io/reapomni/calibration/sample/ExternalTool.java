package io.reapomni.calibration.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A command-line program that the generator runs, such as {@code espeak-ng} or {@code ffmpeg}.
 *
 * @param command       the program's name, looked up on the PATH
 * @param versionOption an option that makes the program print its version and succeed, to tell whether it is there
 */
public record ExternalTool(String command, String versionOption) {
    public static final ExternalTool ESPEAK_NG = new ExternalTool("espeak-ng", "--version");
    public static final ExternalTool FFMPEG = new ExternalTool("ffmpeg", "-version");

    public boolean installed() {
        try {
            return exitStatus(List.of(versionOption)).status() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs the program with {@code arguments}; its output is kept only to explain a failure. */
    public void run(List<String> arguments) throws SampleGenerationException {
        Outcome outcome;
        try {
            outcome = exitStatus(arguments);
        } catch (IOException e) {
            throw new SampleGenerationException(command + " cannot run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SampleGenerationException("interrupted while " + command + " ran", e);
        }
        if (outcome.status() != 0) {
            throw new SampleGenerationException(command + " " + String.join(" ", arguments) + " failed with status "
                    + outcome.status() + ": " + outcome.output().trim());
        }
    }

    private Outcome exitStatus(List<String> arguments) throws IOException, InterruptedException {
        List<String> commandLine = new ArrayList<>();
        commandLine.add(command);
        commandLine.addAll(arguments);
        // One merged stream read to the end, so that neither pipe can fill up and block the program.
        Process process = new ProcessBuilder(commandLine).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Outcome(process.waitFor(), output);
    }

    private record Outcome(int status, String output) {
    }
}
