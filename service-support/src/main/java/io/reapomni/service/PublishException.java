package io.reapomni.service;

/** An event did not reach the broker; the message that caused it is then not acknowledged as processed. */
public class PublishException extends Exception {
    public PublishException(String message, Throwable cause) {
        super(message, cause);
    }
}
