package io.reapomni.service;

/**
 * A job that cannot go on, for a reason its user can act on (a bad parameter, a model that is not where the request
 * says, a feature this version does not have). The message is that reason: it becomes the {@code JobFailed} event's
 * reason as it is, so it names what to change, not how the service failed.
 */
public class JobRejectedException extends Exception {
    public JobRejectedException(String reason) {
        super(reason);
    }

    public JobRejectedException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
