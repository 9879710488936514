package io.reapomni.embedded;

/** The embedded broker refused or did not answer an administrative request. */
public final class EmbeddedKafkaException extends RuntimeException {

    public EmbeddedKafkaException(String message) {
        super(message);
    }

    public EmbeddedKafkaException(String message, Throwable cause) {
        super(message, cause);
    }
}
