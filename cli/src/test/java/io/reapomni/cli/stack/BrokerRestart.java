package io.reapomni.cli.stack;

import io.reapomni.embedded.ChildJvmLauncher;
import io.reapomni.embedded.ChildJvmSpec;
import io.reapomni.embedded.ChildProcess;
import io.reapomni.embedded.KafkaBrokerMain;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Restarts the Kafka broker of a running stack, as an operator or a node failure restarts a broker in a cluster: the
 * process is stopped, and a new one serves the same port from the same data folder while the services run on.
 */
public final class BrokerRestart {

    private BrokerRestart() {
    }

    /** @return the stack as its state file records it now */
    public static StackState restart(StackFolder folder, StackState state) throws IOException {
        StackPart old = state.part(EmbeddedStack.KAFKA).orElseThrow();
        OwnedProcess.find(old).ifPresent(process -> ChildProcess.stop(process, EmbeddedStack.STOP_GRACE));
        String marker = JvmOptions.marker(folder, EmbeddedStack.KAFKA);
        ChildProcess broker = ChildJvmLauncher.start(new ChildJvmSpec(KafkaBrokerMain.class.getName(),
                JvmOptions.lean(marker, "384m"), List.of("--data", folder.kafkaData().toString(), "--port",
                Integer.toString(old.port())), Map.of(), folder.log(EmbeddedStack.KAFKA)),
                EmbeddedStack.SERVER_READY_BOUND);
        StackPart restarted = OwnedProcess.describe(EmbeddedStack.KAFKA, ProcessHandle.of(broker.pid()).orElseThrow(),
                marker, old.port(), folder.log(EmbeddedStack.KAFKA), Duration.ZERO);
        StackState now = state.replacing(restarted);
        StateFile.write(folder.stateFile(), now);
        return now;
    }
}
