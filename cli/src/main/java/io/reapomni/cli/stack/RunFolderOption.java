package io.reapomni.cli.stack;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --run-folder}: which embedded stack a command means. */
public final class RunFolderOption {

    @Option(names = "--run-folder", paramLabel = "DIR",
            description = "The embedded stack's run folder, yours alone (default: ~/.reap-omni/stack; created with"
                    + " mode 0700, refused when another user owns it or others may use it).")
    Path runFolder;

    public StackFolder folder() {
        return runFolder == null ? StackFolder.standard() : new StackFolder(runFolder);
    }
}
