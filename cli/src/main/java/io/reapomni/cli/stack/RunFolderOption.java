package io.reapomni.cli.stack;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --run-folder}: which embedded stack a command means. */
public final class RunFolderOption {

    @Option(names = "--run-folder", paramLabel = "DIR",
            description = "The embedded stack's run folder (default: ~/.reap-omni/stack).")
    Path runFolder;

    public StackFolder folder() {
        return runFolder == null ? StackFolder.standard() : new StackFolder(runFolder);
    }
}
