package io.reapomni.cli.jobs;

import io.reapomni.cli.kafka.KafkaConnection;
import io.reapomni.cli.stack.RunFolderOption;
import io.reapomni.cli.stack.StackState;
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
    public KafkaConnection resolve() throws IOException {
        if (bootstrapServers != null) {
            return KafkaConnection.plaintext(bootstrapServers);
        }
        return runFolder.folder().recordedState().map(StackState::kafka)
                .orElseThrow(() -> new IllegalArgumentException("give --bootstrap-servers HOST:PORT, or start the"
                        + " embedded stack (reap-omni stack up)"));
    }
}
