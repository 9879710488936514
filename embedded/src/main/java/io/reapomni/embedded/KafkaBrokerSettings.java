package io.reapomni.embedded;

import io.reapomni.childjvm.Loopback;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a single-node broker keeps its data, which port its clients use, and whom it accepts.
 *
 * @param dataFolder log and metadata directory; formatted on first use, reused as it is afterwards
 * @param port       the client (bootstrap) port on 127.0.0.1, or 0 for any free port
 * @param user       the only user that may connect, with SASL/PLAIN, to both its listeners (clients' and controller's);
 *                   empty: anyone on this machine may, in plain text (the in-process brokers of tests)
 */
public record KafkaBrokerSettings(Path dataFolder, int port, Optional<Credentials> user) {

    public KafkaBrokerSettings {
        Objects.requireNonNull(dataFolder, "dataFolder");
        Objects.requireNonNull(user, "user");
        Loopback.requireValidPort(port);
        dataFolder = dataFolder.toAbsolutePath().normalize();
    }

    /** A broker on any free port that anyone on this machine may use. */
    public static KafkaBrokerSettings anyPort(Path dataFolder) {
        return new KafkaBrokerSettings(dataFolder, 0, Optional.empty());
    }
}
