package io.reapomni.calibration.tool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Real programs (sh, sleep, head) run as ffmpeg would be. */
class ToolRunTest {

    @TempDir
    Path dir;

    @Test
    void theOutputOfAProgramThatSucceeds() throws Exception {
        byte[] output = new ToolRun(List.of("sh", "-c", "printf 'frames'; printf 'noise' >&2"), Duration.ofSeconds(30),
                1024, "printing").output();

        assertThat(new String(output, StandardCharsets.US_ASCII)).isEqualTo("frames");
    }

    @Test
    void aProgramPastItsTimeoutIsStoppedWithEveryProcessItStarted() throws Exception {
        Path pids = dir.resolve("pids");
        // A child that outlives the shell unless it is killed too, as a hung decoder's helpers would.
        List<String> command = List.of("sh", "-c", "sleep 600 & echo $! > " + pids + "; wait");

        long started = System.nanoTime();
        assertThatThrownBy(() -> new ToolRun(command, Duration.ofMillis(1500), 1024, "waiting").output())
                .isInstanceOfSatisfying(ToolFailure.class, failure -> {
                    assertThat(failure.kind()).isEqualTo(ToolFailure.Kind.TIMED_OUT);
                    assertThat(failure).hasMessage("sh did not finish waiting within 1.5 s and was stopped");
                });

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(60));
        long child = Long.parseLong(Files.readString(pids).trim());
        // Killed, it ends as soon as it is reaped: its handle is gone, or completes its exit.
        Optional<ProcessHandle> sleep = ProcessHandle.of(child);
        if (sleep.isPresent()) {
            sleep.get().onExit().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aProgramThatWritesMoreThanTheLimitIsStoppedWithoutKeepingItAll() {
        List<String> endless = List.of("sh", "-c", "while :; do printf '0123456789abcdef'; done");

        assertThatThrownBy(() -> new ToolRun(endless, Duration.ofSeconds(60), 4096, "decoding x.mp4").output())
                .isInstanceOfSatisfying(ToolFailure.class, failure -> {
                    assertThat(failure.kind()).isEqualTo(ToolFailure.Kind.TOO_MUCH_OUTPUT);
                    assertThat(failure).hasMessage("sh wrote more than 4096 bytes decoding x.mp4 and was stopped");
                });
    }

    @Test
    void aFailingProgramIsReportedWithItsStatusAndWhatItSaidOnStandardError() {
        List<String> failing = List.of("sh", "-c", "echo 'moov atom not found' >&2; exit 3");

        assertThatThrownBy(() -> new ToolRun(failing, Duration.ofSeconds(30), 1024, "probing a.mp4").output())
                .isInstanceOfSatisfying(ToolFailure.class, failure -> {
                    assertThat(failure.kind()).isEqualTo(ToolFailure.Kind.FAILED);
                    assertThat(failure).hasMessage("sh failed probing a.mp4 (status 3): moov atom not found");
                });
    }

    @Test
    void aProgramThatIsNotInstalledIsNamed() {
        assertThatThrownBy(() -> new ToolRun(List.of("no-such-tool-here"), Duration.ofSeconds(30), 1024, "x")
                .output())
                .isInstanceOfSatisfying(ToolFailure.class, failure -> {
                    assertThat(failure.kind()).isEqualTo(ToolFailure.Kind.NOT_STARTED);
                    assertThat(failure).hasMessageStartingWith("no-such-tool-here cannot run");
                });
    }
}
