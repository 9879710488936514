package io.reapomni.service;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ForcedHaltTest {

    @Test
    void aProcessWhoseShutdownHangsIsHaltedWithTheStatus() throws Exception {
        Process process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), HangingShutdown.class.getName(), "200"))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("halted").isTrue();
            assertThat(process.exitValue()).isEqualTo(ServiceExit.EXIT_STATUS);
        } finally {
            process.destroyForcibly();
        }
    }
}
