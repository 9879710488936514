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
    static List<String> lean(String maxHeap) {
        return List.of("-Xmx" + maxHeap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto");
    }
}
