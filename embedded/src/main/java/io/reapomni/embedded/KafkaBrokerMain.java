package io.reapomni.embedded;

/**
 * A single-node Kafka broker in its own JVM: {@code KafkaBrokerMain --data DIR [--port N]}. Prints
 * {@code READY bootstrap=127.0.0.1:PORT} on stdout when it serves; stops cleanly on SIGTERM.
 */
public final class KafkaBrokerMain {

    public static final String BOOTSTRAP = "bootstrap";

    private KafkaBrokerMain() {
    }

    public static void main(String[] args) {
        ServerProcess.run(KafkaBrokerMain.class.getSimpleName(), args, arguments -> {
            EmbeddedKafka kafka = EmbeddedKafka.start(new KafkaBrokerSettings(arguments.data(), arguments.port()));
            return new ServerProcess.Started(kafka, ReadyLine.of(BOOTSTRAP, kafka.bootstrapServers()));
        });
    }
}
