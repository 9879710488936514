package io.reapomni.service;

import java.util.Locale;

/** Why a job failed in a service, as the {@code cause} tag of the failure counter. */
public enum FailureCause {
    /** The job cannot go on for a reason its user can act on ({@link JobRejectedException}). */
    REJECTED,
    /** The service itself failed. */
    ERROR,
    /** The job's handling passed its deadline ({@link HandlerDeadlines}). */
    DEADLINE;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
