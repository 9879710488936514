package io.reapomni.shardwriter;

import io.reapomni.common.events.JobPhase;
import io.reapomni.common.events.JobProgress;
import io.reapomni.common.rewrite.ManifestEntry;
import io.reapomni.common.rewrite.RewriteListener;
import io.reapomni.service.JobEventSink;
import io.reapomni.service.ProgressThrottle;
import io.reapomni.service.PublishException;
import org.jboss.logging.Logger;

/**
 * Turns a rewrite into {@code JobProgress} events of the writing phase: bytes done of the total, and files done in the
 * detail line. The start is said at once, and bytes are counted as they move, so that a follower hears from the writer
 * while a large file is still being written, not only when it is done. Files kept from an interrupted run count as
 * done like written ones. All calls come from the one thread that writes.
 */
final class WritingProgress implements RewriteListener {
    private static final Logger LOG = Logger.getLogger(WritingProgress.class);

    private final String jobId;
    private final JobEventSink events;
    private final ProgressThrottle throttle;
    private int totalFiles;
    private long totalBytes;
    private int filesDone;
    private long bytesOfFilesDone;
    private long bytesOfNextFile;

    WritingProgress(String jobId, JobEventSink events, ProgressThrottle throttle) {
        this.jobId = jobId;
        this.events = events;
        this.throttle = throttle;
    }

    @Override
    public void started(int files, long bytes) {
        totalFiles = files;
        totalBytes = bytes;
        // once a job, so not throttled: the first file's report still passes as the throttle's first
        publish("0 of " + files + " files; writing begins");
    }

    @Override
    public void streamed(long bytes) {
        moved(bytes);
    }

    @Override
    public void copiedInPlace(long bytes) {
        moved(bytes);
    }

    @Override
    public void fileWritten(ManifestEntry file) {
        done(file, "written");
    }

    @Override
    public void fileKept(ManifestEntry file) {
        done(file, "kept from the interrupted run");
    }

    private void moved(long bytes) {
        bytesOfNextFile += bytes;
        if (throttle.allows(false)) {
            publish(filesDone + " of " + totalFiles + " files; the next one under way");
        }
    }

    private void done(ManifestEntry file, String how) {
        filesDone++;
        bytesOfFilesDone += file.size();
        bytesOfNextFile = 0;
        if (throttle.allows(filesDone >= totalFiles)) {
            publish(filesDone + " of " + totalFiles + " files; " + file.path() + " " + how);
        }
    }

    private void publish(String detail) {
        try {
            events.publish(JobProgress.of(jobId, JobPhase.WRITING, Math.min(bytesOfFilesDone + bytesOfNextFile,
                    totalBytes), totalBytes, "bytes", detail));
        } catch (PublishException e) {
            // Progress is for people watching; the job's outcome is published (and must arrive) separately.
            LOG.warnf("progress of job %s not published: %s", jobId, e.getMessage());
        }
    }
}
