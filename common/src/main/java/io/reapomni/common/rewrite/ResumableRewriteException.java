package io.reapomni.common.rewrite;

import io.reapomni.common.storage.StoreLocation;

import java.io.IOException;

/**
 * A rewrite that did not finish but can be resumed: the staging area keeps every file finished so far, and the next
 * run of the same job (same job id, same request) verifies them by SHA-256 and writes only the rest. The message
 * says what failed and where the files are kept.
 */
public class ResumableRewriteException extends IOException {
    private final String jobId;
    private final StoreLocation staging;
    private final int filesDone;

    public ResumableRewriteException(String what, String jobId, StoreLocation staging, int filesDone, Throwable cause) {
        super(what + "; the " + filesDone + (filesDone == 1 ? " file" : " files") + " finished so far are kept in "
                + staging + " for the next run of job " + jobId + ", which resumes from them", cause);
        this.jobId = jobId;
        this.staging = staging;
        this.filesDone = filesDone;
    }

    public String jobId() {
        return jobId;
    }

    /** Where the finished files are kept. */
    public StoreLocation staging() {
        return staging;
    }

    public int filesDone() {
        return filesDone;
    }
}
