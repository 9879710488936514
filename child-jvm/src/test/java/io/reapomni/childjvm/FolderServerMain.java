package io.reapomni.childjvm;

import java.nio.file.Files;

/**
 * The smallest server: creates its data folder, announces it with the port it was given, and on SIGTERM leaves a
 * {@code closed} file there, so that a test sees the shutdown hook ran.
 */
public final class FolderServerMain {

    private FolderServerMain() {
    }

    public static void main(String[] args) {
        ServerProcess.run("folder-server", args, arguments -> {
            Files.createDirectories(arguments.data());
            AutoCloseable server = () -> Files.writeString(arguments.data().resolve("closed"), "closed");
            return new ServerProcess.Started(server, ReadyLine.of("port", Integer.toString(arguments.port())));
        });
    }
}
