package io.reapomni.embedded;

import io.reapomni.childjvm.Loopback;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a single-node broker keeps its data and which port its clients use.
 *
 * @param dataFolder log and metadata directory; formatted on first use, reused as it is afterwards
 * @param port       the client (bootstrap) port on 127.0.0.1, or 0 for any free port
 */
public record KafkaBrokerSettings(Path dataFolder, int port) {

    public KafkaBrokerSettings {
        Objects.requireNonNull(dataFolder, "dataFolder");
        Loopback.requireValidPort(port);
        dataFolder = dataFolder.toAbsolutePath().normalize();
    }

    /** A broker on any free port. */
    public static KafkaBrokerSettings anyPort(Path dataFolder) {
        return new KafkaBrokerSettings(dataFolder, 0);
    }
}
