package io.reapomni.embedded;

import io.reapomni.embedded.testing.EmbeddedKafkaExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedKafkaTest {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Test
    void aConsumerInAGroupReceivesWhatAProducerSentWithItsKeys() throws Exception {
        KAFKA.createTopics(Map.of("round-trip", 3));
        Map<String, String> sent = Map.of("job-1", "planned", "job-2", "failed", "job-3", "completed");

        KafkaRoundTrip.produce(KAFKA.bootstrapServers(), "round-trip", sent);
        Map<String, String> received = KafkaRoundTrip.consume(KAFKA.bootstrapServers(), "readers", "round-trip", 3);

        assertThat(received).isEqualTo(sent);
    }

    @Test
    void topicsAreCreatedWithTheRequestedPartitions() throws Exception {
        KAFKA.createTopics(Map.of("one", 1, "four", 4, "seven", 7));

        assertThat(partitionCounts(List.of("one", "four", "seven")))
                .isEqualTo(Map.of("one", 1, "four", 4, "seven", 7));
    }

    @Test
    void askingAgainForAnExistingTopicWithItsPartitionsChangesNothing() throws Exception {
        KAFKA.createTopics(Map.of("again", 2));

        KAFKA.createTopics(Map.of("again", 2));

        assertThat(partitionCounts(List.of("again"))).isEqualTo(Map.of("again", 2));
    }

    @Test
    void anExistingTopicWithOtherPartitionsIsRefused() {
        KAFKA.createTopics(Map.of("fixed", 2));

        assertThatThrownBy(() -> KAFKA.createTopics(Map.of("fixed", 5)))
                .isInstanceOf(EmbeddedKafkaException.class)
                .hasMessageContaining("fixed exists with 2 partitions, not the 5 requested");
    }

    @Test
    void producingToATopicNobodyCreatedFailsAndCreatesNothing() throws Exception {
        assertThatThrownBy(() -> KafkaRoundTrip.produce(KAFKA.bootstrapServers(), "nobody-created-this",
                Map.of("job-1", "lost"), Duration.ofSeconds(2)))
                .hasCauseInstanceOf(TimeoutException.class);

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()))) {
            assertThat(admin.listTopics().names().get()).doesNotContain("nobody-created-this");
        }
    }

    private static Map<String, Integer> partitionCounts(List<String> topics) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()))) {
            Map<String, TopicDescription> descriptions = admin.describeTopics(topics).allTopicNames().get();
            Map<String, Integer> counts = new TreeMap<>();
            descriptions.forEach((name, description) -> counts.put(name, description.partitions().size()));
            return counts;
        }
    }
}
