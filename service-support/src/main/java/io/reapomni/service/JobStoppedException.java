package io.reapomni.service;

/**
 * A handler that stopped because its service is stopping (a shutdown's stop request, or its thread interrupted), and
 * left its work resumable. It is not a failure of the job: no {@code JobFailed} is published and the message is not
 * acknowledged, so that it is delivered again, to this service's next start or to another instance, which resumes.
 */
public class JobStoppedException extends Exception {
    public JobStoppedException(String message, Throwable cause) {
        super(message, cause);
    }
}
