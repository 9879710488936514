package io.reapomni.embedded;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Formats a KRaft data folder the way {@code kafka-storage.sh format} does, once: a formatted folder is kept. */
final class KraftStorage {

    private static final String META_PROPERTIES = "meta.properties";

    private KraftStorage() {
    }

    static void formatUnlessFormatted(Path dataFolder) throws IOException {
        // The Formatter compares its (new, random) cluster id with the stored one even when told to ignore formatted
        // folders, so a formatted folder is recognised here, by the file that formatting writes.
        if (Files.exists(dataFolder.resolve(META_PROPERTIES))) {
            return;
        }
        String directory = dataFolder.toString();
        ByteArrayOutputStream messages = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(messages, true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(out)
                    .setNodeId(KafkaBrokerConfig.NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName(KafkaBrokerConfig.CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(directory)
                    .setDirectories(List.of(directory))
                    .setHasDynamicQuorum(false)
                    .setUnstableFeatureVersionsEnabled(false)
                    .run();
        } catch (Exception e) {
            throw new IOException("cannot format Kafka storage in " + directory + ": " + e.getMessage()
                    + " " + messages.toString(StandardCharsets.UTF_8).strip(), e);
        }
    }
}
