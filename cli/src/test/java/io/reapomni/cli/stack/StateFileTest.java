package io.reapomni.cli.stack;

import io.reapomni.cli.kafka.KafkaConnection;
import io.reapomni.common.storage.LocalRoots;
import io.reapomni.common.storage.S3Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StateFileTest {

    private static final S3Settings S3 = new S3Settings(URI.create("http://127.0.0.1:9000"), S3Settings.DEFAULT_REGION,
            "reap-access", "very-secret-value");
    private static final KafkaConnection KAFKA = KafkaConnection.saslPlain("127.0.0.1:9092", "reap-user",
            "kafka-secret-value");
    private static final LocalRoots ROOTS = new LocalRoots(List.of(Path.of("/home/user"), Path.of("/tmp")));

    @Test
    void writesTheStateReadableByItsOwnerOnlyAndReadsItBack(@TempDir Path folder) throws Exception {
        Path file = folder.resolve("stack.json");
        StackState state = new StackState(KAFKA, S3, ROOTS,
                List.of(new StackPart("kafka", 42, Instant.parse("2026-11-29T12:00:00.120Z"),
                        "-Dreap.stack.part=/x/kafka", 9092, folder.resolve("kafka.log"), Duration.ofMillis(2900))));

        StateFile.write(file, state);

        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(StateFile.OWNER_ONLY);
        assertThat(StateFile.read(file)).contains(state);
    }

    @Test
    void aReplacedStateKeepsTheOwnerOnlyMode(@TempDir Path folder) throws Exception {
        Path file = folder.resolve("stack.json");
        StackState state = new StackState(KAFKA, S3, ROOTS, List.of());
        StateFile.write(file, state);
        StateFile.write(file, new StackState(KafkaConnection.plaintext("127.0.0.1:3"), S3, ROOTS, List.of()));

        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(StateFile.OWNER_ONLY);
        assertThat(StateFile.read(file).orElseThrow().kafka().bootstrapServers()).isEqualTo("127.0.0.1:3");
    }

    @Test
    void printingAStateNeverShowsTheSecret() {
        StackState state = new StackState(KAFKA, S3, ROOTS, List.of());

        assertThat(state.toString()).contains("127.0.0.1:9000").contains("127.0.0.1:9092")
                .doesNotContain("very-secret-value").doesNotContain("kafka-secret-value");
    }

    @Test
    void noFileMeansNoStack(@TempDir Path folder) throws Exception {
        assertThat(StateFile.read(folder.resolve("stack.json"))).isEmpty();
    }
}
