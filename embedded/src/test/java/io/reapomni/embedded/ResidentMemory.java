package io.reapomni.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The resident set of a process as Linux reports it, to keep an eye on what the local stack costs. */
final class ResidentMemory {

    private ResidentMemory() {
    }

    static String of(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(line -> line.startsWith("VmRSS:"))
                .findFirst()
                .map(line -> "RSS " + line.substring("VmRSS:".length()).strip())
                .orElseThrow(() -> new IOException("no VmRSS for process " + pid));
    }
}
