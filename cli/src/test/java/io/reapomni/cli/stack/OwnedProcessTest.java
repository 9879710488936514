package io.reapomni.cli.stack;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class OwnedProcessTest {

    private static final ProcessHandle SELF = ProcessHandle.current();

    @Test
    void findsTheRecordedProcessWhileItIsTheSameOne() {
        StackPart part = OwnedProcess.describe("me", SELF, "java", 0, Path.of("me.log"), Duration.ZERO);

        assertThat(OwnedProcess.find(part)).contains(SELF);
    }

    @Test
    void aPidThatStartedAtAnotherTimeIsAnotherProcess() {
        StackPart recorded = OwnedProcess.describe("me", SELF, "java", 0, Path.of("me.log"), Duration.ZERO);
        StackPart reused = new StackPart("me", recorded.pid(), recorded.startInstant().minusSeconds(60), "java", 0,
                recorded.logFile(), Duration.ZERO);

        assertThat(OwnedProcess.find(reused)).isEmpty();
    }

    @Test
    void aPidRunningAnotherCommandIsAnotherProcess() {
        StackPart part = OwnedProcess.describe("me", SELF, "quarkus-run.jar-that-this-jvm-is-not", 0,
                Path.of("me.log"), Duration.ZERO);

        assertThat(OwnedProcess.find(part)).isEmpty();
    }
}
