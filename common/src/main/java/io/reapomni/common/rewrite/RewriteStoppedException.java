package io.reapomni.common.rewrite;

import io.reapomni.common.storage.StoreLocation;

/**
 * A rewrite stopped because its process is stopping (a shutdown's stop request between files, or its thread
 * interrupted mid-file): not a failure of the job, which the next run resumes.
 */
public class RewriteStoppedException extends ResumableRewriteException {
    public RewriteStoppedException(String jobId, StoreLocation staging, int filesDone, Throwable cause) {
        super("job " + jobId + " was stopped", jobId, staging, filesDone, cause);
    }
}
