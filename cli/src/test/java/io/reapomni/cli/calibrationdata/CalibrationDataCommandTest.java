package io.reapomni.cli.calibrationdata;

import io.reapomni.cli.ReapOmni;
import io.reapomni.devtools.calibrationdata.ExternalTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class CalibrationDataCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    @Test
    void writesTheDataSetsAndSaysWhatItMadeWithWhichTools() throws Exception {
        Path output = dir.resolve("calib");

        int exitCode = execute("calibration-data", "--output", output.toString(), "--samples", "2", "--seed", "7");

        assertThat(exitCode).as(err.toString()).isZero();
        for (String file : new String[] {"audio.jsonl", "video.jsonl", "mixed.jsonl"}) {
            assertThat(Files.readAllLines(output.resolve(file))).as(file).hasSize(2);
            assertThat(out.toString()).containsPattern(file + " +2 samples");
        }
        assertThat(out.toString()).containsPattern("clips/ +2 audio clips \\(.+, [1-9][0-9]*\\.[0-9] s of audio\\), "
                + "2 videos");
        boolean espeak = ExternalTool.ESPEAK_NG.installed();
        assertThat(out.toString()).contains(espeak ? "espeak-ng speech" : "generated tones");
        assertThat(err.toString().contains("espeak-ng was not found")).isEqualTo(!espeak);
        assertThat(out.toString()).contains("--audio-data " + output.resolve("audio.jsonl"));
    }

    @Test
    void refusesZeroSamplesAsBadInput() {
        int exitCode = execute("calibration-data", "--output", dir.toString(), "--samples", "0");

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString()).contains("at least 1");
    }

    private int execute(String... args) {
        CommandLine commandLine = ReapOmni.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }
}
