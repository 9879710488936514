package io.reapomni.embedded.testing;

import io.reapomni.embedded.EmbeddedKafka;
import io.reapomni.embedded.KafkaBrokerSettings;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real Kafka broker for a test class: {@link EmbeddedKafka} started once before the class in a temporary folder,
 * stopped and deleted after it.
 *
 * <pre>{@code @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();}</pre>
 */
public final class EmbeddedKafkaExtension implements BeforeAllCallback, AfterAllCallback {

    private Path folder;
    private EmbeddedKafka kafka;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        folder = Files.createTempDirectory("kafka-");
        kafka = EmbeddedKafka.start(KafkaBrokerSettings.anyPort(folder));
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            kafka.close();
        } finally {
            deleteRecursively(folder);
        }
    }

    /** {@code 127.0.0.1:port} of the running broker. */
    public String bootstrapServers() {
        return running().bootstrapServers();
    }

    /** Creates topics with the given partition counts; see {@link EmbeddedKafka#createTopics}. */
    public void createTopics(Map<String, Integer> partitionsByTopic) {
        running().createTopics(partitionsByTopic);
    }

    private EmbeddedKafka running() {
        if (kafka == null) {
            throw new IllegalStateException("the broker starts before the test class: register this extension"
                    + " on a static field with @RegisterExtension");
        }
        return kafka;
    }

    private static void deleteRecursively(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
