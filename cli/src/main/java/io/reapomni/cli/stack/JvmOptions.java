package io.reapomni.cli.stack;

import java.util.List;

/** JVM options of the stack's processes. */
final class JvmOptions {

    private JvmOptions() {
    }

    /**
     * Six small JVMs start at once on what may be a two-core laptop: the serial collector and the C1 compiler alone
     * start faster and use less memory, for the processes that are not bound by compiled-code speed.
     */
    static List<String> lean(String marker, String maxHeap) {
        return List.of(marker, "-Xmx" + maxHeap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto");
    }

    /**
     * {@link #lean} but with both compilers, for a process whose work is Java code over gigabytes: SHA-256 of every
     * written byte (the shard writer), bf16 weights converted in Java (a calibration worker). C1 alone hashes about
     * 20 times slower than C2 with its SHA intrinsics.
     */
    static List<String> compiled(String marker, String maxHeap) {
        return List.of(marker, "-Xmx" + maxHeap, "-XX:+UseSerialGC", "-Xshare:auto");
    }

    /**
     * The first option of a part's command line, naming its stack and itself: a later command recognises the
     * process by it. First, because the operating system reports only the first 4 KiB of a command line, and a
     * child JVM's class path is longer.
     */
    static String marker(StackFolder folder, String part) {
        return "-Dreap.stack.part=" + folder.root().resolve(part);
    }
}
