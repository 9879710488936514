package io.reapomni.cli;

import io.reapomni.common.rewrite.RewriteVerifier;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** One in-process run of {@code reap-omni} with its exit code and what it printed. */
public record CliRun(int exitCode, String out, String err) {

    public static CliRun of(Object... args) {
        CommandLine commandLine = ReapOmni.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        String[] text = Stream.of(args).map(String::valueOf).toArray(String[]::new);
        int exitCode = commandLine.execute(text);
        return new CliRun(exitCode, out.toString(), err.toString());
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- out:\n" + out + "--- err:\n" + err;
    }

    /** SHA-256 of each file of a written model but the manifest and report, which name the job and its timing. */
    static Map<String, String> modelFiles(Path folder) throws IOException {
        Map<String, String> hashes = new TreeMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (!name.equals(RewriteVerifier.MANIFEST) && !name.equals(RewriteVerifier.REPORT_JSON)
                        && !name.equals(RewriteVerifier.REPORT_MARKDOWN)) {
                    hashes.put(name, RewriteVerifier.sha256(Files.readAllBytes(file)));
                }
            }
        }
        return hashes;
    }
}
