package io.reapomni.childjvm;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReadyLineTest {

    @Test
    void aFormattedLineParsesBackToTheSameValues() {
        ReadyLine ready = new ReadyLine(Map.of("endpoint", "http://127.0.0.1:9000", "bootstrap", "127.0.0.1:9092"));

        assertThat(ready.format()).isEqualTo("READY bootstrap=127.0.0.1:9092 endpoint=http://127.0.0.1:9000");
        assertThat(ReadyLine.parse(ready.format())).contains(ready);
    }

    @Test
    void logLinesAndMalformedLinesAreNotReadyLines() {
        assertThat(ReadyLine.parse("12:00:00 [main] INFO kafka.server - READY soon")).isEmpty();
        assertThat(ReadyLine.parse("READYING bootstrap=x")).isEmpty();
        assertThat(ReadyLine.parse("READY bootstrap")).isEmpty();
        assertThat(ReadyLine.parse("")).isEmpty();
    }

    @Test
    void aMissingValueIsNamed() {
        assertThatThrownBy(() -> ReadyLine.of("bootstrap", "127.0.0.1:9092").value("endpoint"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the ready line has no endpoint: READY bootstrap=127.0.0.1:9092");
    }

    @Test
    void valuesWithWhitespaceCannotBeAnnounced() {
        assertThatThrownBy(() -> ReadyLine.of("folder", "/tmp/my models"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
