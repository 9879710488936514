package io.reapomni.cli.jobs;

import io.reapomni.cli.stack.RunFolderOption;
import io.reapomni.cli.stack.StackState;
import io.reapomni.cli.stack.StateFile;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;

/** Which Kafka cluster a command talks to: the one named, else the running embedded stack's broker. */
public final class BootstrapOption {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (default: the broker of the running embedded stack).")
    String bootstrapServers;

    @Mixin
    RunFolderOption runFolder;

    /** @throws IllegalArgumentException when none was named and no embedded stack is recorded */
    public String resolve() throws IOException {
        if (bootstrapServers != null) {
            return bootstrapServers;
        }
        return StateFile.read(runFolder.folder().stateFile()).map(StackState::bootstrapServers)
                .orElseThrow(() -> new IllegalArgumentException("give --bootstrap-servers HOST:PORT, or start the"
                        + " embedded stack (reap-omni stack up)"));
    }
}
