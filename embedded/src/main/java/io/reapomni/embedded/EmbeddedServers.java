package io.reapomni.embedded;

import io.reapomni.childjvm.ReadyLine;
import io.reapomni.childjvm.ServerArguments;
import io.reapomni.childjvm.ServerProcess;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * The embedded servers as an application, one server to a JVM:
 * <pre>
 * java -jar reap-omni-embedded.jar kafka --data DIR [--port N]   prints READY bootstrap=127.0.0.1:PORT
 * java -jar reap-omni-embedded.jar s3 --data DIR [--port N]      prints READY endpoint=http://127.0.0.1:PORT
 * </pre>
 * Each accepts one identity, given in its environment: the broker a user ({@code REAP_KAFKA_USERNAME},
 * {@code REAP_KAFKA_PASSWORD}; SASL/PLAIN on both its listeners), the S3 endpoint an access key
 * ({@code REAP_S3_ACCESS_KEY}, {@code REAP_S3_SECRET_KEY}). Each listens on 127.0.0.1 only and stops cleanly on
 * SIGTERM. The CLI runs this application by its path, so that it does not carry the servers' libraries.
 */
public final class EmbeddedServers {

    public static final String KAFKA = "kafka";
    public static final String S3 = "s3";
    /** The ready line's key for the broker's {@code host:port}. */
    public static final String BOOTSTRAP = "bootstrap";
    /** The ready line's key for the S3 endpoint's URL. */
    public static final String ENDPOINT = "endpoint";

    private static final int USAGE_ERROR = 2;

    private EmbeddedServers() {
    }

    public static void main(String[] args) {
        String server = args.length == 0 ? "" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (server) {
            case KAFKA -> ServerProcess.run(KAFKA, rest, EmbeddedServers::kafka);
            case S3 -> ServerProcess.run(S3, rest, EmbeddedServers::s3);
            default -> {
                System.err.println("usage: (kafka | s3) " + ServerArguments.USAGE);
                System.exit(USAGE_ERROR);
            }
        }
    }

    private static ServerProcess.Started kafka(ServerArguments arguments) throws Exception {
        Credentials user = Credentials.fromEnvironment(System.getenv(), Credentials.KAFKA);
        EmbeddedKafka kafka = EmbeddedKafka.start(new KafkaBrokerSettings(arguments.data(), arguments.port(),
                Optional.of(user)));
        return new ServerProcess.Started(kafka, ReadyLine.of(BOOTSTRAP, kafka.bootstrapServers()));
    }

    private static ServerProcess.Started s3(ServerArguments arguments) throws Exception {
        Credentials credentials = Credentials.fromEnvironment(System.getenv(), Credentials.S3);
        EmbeddedS3 s3 = EmbeddedS3.start(new S3EndpointSettings(arguments.data(), arguments.port(), credentials,
                Set.of()));
        return new ServerProcess.Started(s3, ReadyLine.of(ENDPOINT, s3.endpoint().toString()));
    }
}
