package io.reapomni.embedded;

import io.reapomni.childjvm.Loopback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaRestartTest {

    @TempDir
    Path data;

    @Test
    void aBrokerRestartedOnTheSameFolderKeepsTopicsRecordsAndCommittedOffsets() throws Exception {
        Map<String, String> beforeRestart = Map.of("job-1", "requested", "job-2", "requested");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(KafkaBrokerSettings.anyPort(data))) {
            kafka.createTopics(Map.of("jobs", 2));
            KafkaRoundTrip.produce(kafka.bootstrapServers(), "jobs", beforeRestart);
            assertThat(KafkaRoundTrip.consume(kafka.bootstrapServers(), "followers", "jobs", 2))
                    .isEqualTo(beforeRestart);
        }

        try (EmbeddedKafka kafka = EmbeddedKafka.start(KafkaBrokerSettings.anyPort(data))) {
            KafkaRoundTrip.produce(kafka.bootstrapServers(), "jobs", Map.of("job-3", "requested"));

            assertThat(KafkaRoundTrip.consume(kafka.bootstrapServers(), "newcomers", "jobs", 3))
                    .as("every record, from a group that never read the topic")
                    .containsExactlyInAnyOrderEntriesOf(Map.of(
                            "job-1", "requested", "job-2", "requested", "job-3", "requested"));
            assertThat(KafkaRoundTrip.consume(kafka.bootstrapServers(), "followers", "jobs", 1))
                    .as("only the new record, for the group that committed before the restart")
                    .isEqualTo(Map.of("job-3", "requested"));
        }
    }

    @Test
    void aBrokerServesOnTheGivenPort() throws Exception {
        int port = Loopback.freePort();

        try (EmbeddedKafka kafka = EmbeddedKafka.start(new KafkaBrokerSettings(data, port, Optional.empty()))) {
            assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
            assertThat(kafka.startTime()).isPositive();
        }
    }
}
