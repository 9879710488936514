package io.reapomni.childjvm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChildJvmLauncherTest {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final List<String> SMALL_HEAP = List.of("-Xmx64m");

    @TempDir
    Path run;

    @Test
    void aChildIsReadyWithWhatItAnnouncedAndRunsItsShutdownHookWhenStopped() throws Exception {
        Path data = run.resolve("data");
        ChildProcess child = ChildJvmLauncher.start(ChildJvmSpec.onThisClassPath(FolderServerMain.class, SMALL_HEAP,
                List.of("--data", data.toString(), "--port", "4321"), Map.of(), run.resolve("logs/server.log")),
                READY_TIMEOUT);

        assertThat(child.ready().value("port")).isEqualTo("4321");
        assertThat(child.isAlive()).isTrue();

        assertThat(child.stop()).isEqualTo(StopOutcome.TERMINATED);
        assertThat(child.isAlive()).isFalse();
        assertThat(data.resolve("closed")).hasContent("closed");
        assertThat(child.logFile()).content().contains("READY port=4321");
    }

    @Test
    void aChildThatExitsBeforeItIsReadyIsReportedWithItsLog() {
        Path log = run.resolve("logs/server.log");

        assertThatThrownBy(() -> ChildJvmLauncher.start(ChildJvmSpec.onThisClassPath(FolderServerMain.class,
                SMALL_HEAP, List.of("--port", "1"), Map.of(), log), READY_TIMEOUT))
                .isInstanceOf(ChildStartException.class)
                .hasMessageContaining("FolderServerMain exited with status 2 before it was ready")
                .hasMessageContaining("folder-server: --data is required");
    }

    @Test
    void aChildThatNeverAnnouncesItselfIsStoppedAfterTheTimeout() throws IOException {
        Path log = run.resolve("logs/silent.log");

        assertThatThrownBy(() -> ChildJvmLauncher.start(ChildJvmSpec.onThisClassPath(SilentMain.class, SMALL_HEAP,
                List.of(), Map.of(), log), Duration.ofSeconds(3)))
                .isInstanceOf(ChildStartException.class)
                .hasMessageContaining("SilentMain was not ready within 3000 ms and was stopped")
                .hasMessageContaining("starting, but never ready");
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(child -> child.info().commandLine().orElse("").contains(SilentMain.class.getName())))
                .isEmpty();
    }

    @Test
    void theSpecNamesEnvironmentVariablesButNeverTheirValues() {
        ChildJvmSpec spec = ChildJvmSpec.packaged("s3", Path.of("app.jar"), SMALL_HEAP, List.of("s3"),
                Map.of("REAP_S3_SECRET_KEY", "very-secret"), run.resolve("s3.log"));

        assertThat(spec.toString()).contains("REAP_S3_SECRET_KEY").doesNotContain("very-secret");
        assertThat(spec.program()).containsExactly("-jar", Path.of("app.jar").toAbsolutePath().toString());
    }
}
