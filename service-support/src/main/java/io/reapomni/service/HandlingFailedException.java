package io.reapomni.service;

/**
 * Why a message went to the dead-letter topic after its handler failed: the message is the job's failure reason
 * (the record's {@code dead-letter-reason} header), the cause the handler's failure
 * ({@code dead-letter-cause-class-name}, {@code dead-letter-cause}).
 */
final class HandlingFailedException extends Exception {
    HandlingFailedException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
