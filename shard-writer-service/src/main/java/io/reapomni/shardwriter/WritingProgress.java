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
 * Turns a rewrite's finished files into {@code JobProgress} events of the writing phase: bytes done of the total,
 * and files done in the detail line. Files kept from an interrupted run count as done like written ones.
 */
final class WritingProgress implements RewriteListener {
    private static final Logger LOG = Logger.getLogger(WritingProgress.class);

    private final String jobId;
    private final JobEventSink events;
    private final ProgressThrottle throttle;
    private int totalFiles;
    private long totalBytes;
    private int filesDone;
    private long bytesDone;

    WritingProgress(String jobId, JobEventSink events, ProgressThrottle throttle) {
        this.jobId = jobId;
        this.events = events;
        this.throttle = throttle;
    }

    @Override
    public void started(int files, long bytes) {
        totalFiles = files;
        totalBytes = bytes;
    }

    @Override
    public void fileWritten(ManifestEntry file) {
        done(file, "written");
    }

    @Override
    public void fileKept(ManifestEntry file) {
        done(file, "kept from the interrupted run");
    }

    private void done(ManifestEntry file, String how) {
        filesDone++;
        bytesDone += file.size();
        if (!throttle.allows(filesDone >= totalFiles)) {
            return;
        }
        String detail = filesDone + " of " + totalFiles + " files; " + file.path() + " " + how;
        try {
            events.publish(JobProgress.of(jobId, JobPhase.WRITING, Math.min(bytesDone, totalBytes), totalBytes,
                    "bytes", detail));
        } catch (PublishException e) {
            // Progress is for people watching; the job's outcome is published (and must arrive) separately.
            LOG.warnf("progress of job %s not published: %s", jobId, e.getMessage());
        }
    }
}
