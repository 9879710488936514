package io.reapomni.childjvm;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerArgumentsTest {

    @Test
    void dataAndPortAreRead() {
        assertThat(ServerArguments.parse(new String[] {"--port", "9092", "--data", "/srv/kafka"}))
                .isEqualTo(new ServerArguments(Path.of("/srv/kafka"), 9092));
    }

    @Test
    void theDefaultPortIsAnyFreePort() {
        assertThat(ServerArguments.parse(new String[] {"--data", "run/s3"}).port()).isZero();
    }

    @Test
    void badCommandLinesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> ServerArguments.parse(new String[] {"--port", "9092"}))
                .hasMessage("--data is required");
        assertThatThrownBy(() -> ServerArguments.parse(new String[] {"--data"}))
                .hasMessage("--data needs a value");
        assertThatThrownBy(() -> ServerArguments.parse(new String[] {"--data", "d", "--port", "ninety"}))
                .hasMessage("--port needs a number, got ninety");
        assertThatThrownBy(() -> ServerArguments.parse(new String[] {"--data", "d", "--port", "70000"}))
                .hasMessageContaining("got 70000");
        assertThatThrownBy(() -> ServerArguments.parse(new String[] {"--data", "d", "--secret", "s"}))
                .hasMessage("unknown option --secret");
    }
}
