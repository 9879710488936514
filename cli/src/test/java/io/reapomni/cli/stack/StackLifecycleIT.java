package io.reapomni.cli.stack;

import io.reapomni.cli.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The stack commands as a user runs them, on real child processes. */
class StackLifecycleIT {

    @TempDir
    Path temp;

    @Test
    void upStatusAndDownKeepTheStackForSeveralCommandsAndNeverPrintTheSecret() throws Exception {
        String folder = temp.resolve("stack").toString();

        CliRun up = CliRun.of("stack", "up", "--run-folder", folder);
        StackState state = StateFile.read(new StackFolder(Path.of(folder)).stateFile()).orElseThrow();
        CliRun again = CliRun.of("stack", "up", "--run-folder", folder);
        CliRun status = CliRun.of("stack", "status", "--run-folder", folder);
        CliRun down = CliRun.of("stack", "down", "--run-folder", folder);
        CliRun after = CliRun.of("stack", "status", "--run-folder", folder);

        assertThat(up.exitCode()).as(up.err()).isZero();
        assertThat(up.out()).contains("Stack ready in").contains("kafka").contains("shard-writer-service");
        assertThat(again.out()).contains("already up");
        assertThat(status.exitCode()).isZero();
        assertThat(status.out()).contains("strip-service").doesNotContain("not_ready").doesNotContain("gone");
        assertThat(down.out()).contains("terminated").doesNotContain("killed");
        assertThat(after.exitCode()).isEqualTo(1);
        for (CliRun result : List.of(up, again, status, down, after)) {
            assertThat(result.out() + result.err()).doesNotContain(state.s3().secretKey())
                    .doesNotContain(kafkaPassword(state));
        }
        assertThat(state.parts()).hasSize(2 + ServiceSpec.forWorkers(1).size())
                .allSatisfy(part -> assertThat(OwnedProcess.find(part)).isEmpty());
    }

    @Test
    void downLeavesAloneAProcessThatNowHasARecordedPid() throws Exception {
        StackFolder folder = new StackFolder(temp.resolve("stack"));
        StackState state = EmbeddedStack.start(folder, ReapHome.locate(), StackSettings.of(1, List.of())).state();
        Process stranger = new ProcessBuilder("sleep", "300").start();
        StackPart s3 = state.part(EmbeddedStack.S3).orElseThrow();
        try {
            // As if the endpoint had died and the operating system had given its pid to another program.
            List<StackPart> parts = new ArrayList<>(state.parts());
            parts.set(parts.indexOf(s3), new StackPart(s3.name(), stranger.pid(), s3.startInstant(),
                    s3.commandMarker(), s3.port(), s3.logFile(), s3.startup()));
            StateFile.write(folder.stateFile(), new StackState(state.kafka(), state.s3(), state.localRoots(), parts));

            CliRun down = CliRun.of("stack", "down", "--run-folder", folder.root().toString());

            assertThat(down.out()).containsPattern("s3 +pid " + stranger.pid() + " +gone");
            assertThat(stranger.isAlive()).isTrue();
        } finally {
            stranger.destroyForcibly();
            // Whatever the command left running of the stack; the stranger is not part of it.
            EmbeddedStack.stop(folder, state);
        }
    }

    @Test
    void binReapOmniDemoStartsAStackForItsJobPrintsTheScoresQualityAndPicturesAndStopsTheStack() throws Exception {
        StackFolder folder = new StackFolder(temp.resolve("demo-stack"));
        Path script = ReapHome.locate().root().resolve("bin").resolve("reap-omni");
        Path output = temp.resolve("demo.out");
        // The packaged CLI as a user runs it: its jar, the libraries beside it, the services' applications.
        Process demo = new ProcessBuilder(script.toString(), "demo", "--run-folder", folder.root().toString())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();

        boolean ended = demo.waitFor(5, TimeUnit.MINUTES);
        if (!ended) {
            demo.destroyForcibly();
        }

        String printed = Files.readString(output);
        assertThat(ended).as(printed).isTrue();
        assertThat(demo.exitValue()).as(printed).isZero();
        assertThat(printed).contains("Starting the embedded stack").containsPattern("Job demo-\\S+ completed in")
                .contains("Experts (thinker): 8 kept per layer", "Quality on 4 held-out audio samples: KL ",
                        "reap-affinity.svg", "reap-layer-similarity.svg", "reap-quality.svg", "Demo done in");
        assertThat(Files.exists(folder.stateFile())).as("the demo's stack was stopped").isFalse();
    }

    private static String kafkaPassword(StackState state) {
        Matcher password = Pattern.compile("password=\"([^\"]+)\"").matcher(state.kafka().security()
                .get("sasl.jaas.config"));
        assertThat(password.find()).isTrue();
        return password.group(1);
    }
}
