package io.reapomni.cli.stack;

import java.util.List;

/** JVM options of the stack's processes. */
final class JvmOptions {

    private JvmOptions() {
    }

    /**
     * Six small JVMs start at once on what may be a two-core laptop: the serial collector and the C1 compiler alone
     * start faster and use less memory, and none of these processes is bound by compiled-code speed.
     */
    static List<String> lean(String marker, String maxHeap) {
        return List.of(marker, "-Xmx" + maxHeap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto");
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
