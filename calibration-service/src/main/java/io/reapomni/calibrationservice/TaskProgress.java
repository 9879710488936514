package io.reapomni.calibrationservice;

import io.reapomni.calibration.CalibrationListener;
import io.reapomni.common.events.CalibrationTask;
import io.reapomni.common.events.JobPhase;
import io.reapomni.common.events.JobProgress;
import io.reapomni.service.JobEventSink;
import io.reapomni.service.ProgressThrottle;
import io.reapomni.service.PublishException;
import org.jboss.logging.Logger;

import java.util.concurrent.CancellationException;

/**
 * A running task's layers as {@code JobProgress} of the calibration phase (at most one per interval): a task runs for
 * minutes or hours and would otherwise say nothing until its end, and whoever follows the job must be able to tell a
 * long task from a dead worker. Between layers it is also where the task stops when its thread was interrupted (its
 * deadline passed, the service is shutting down): the engine computes without looking at interrupts.
 */
final class TaskProgress implements CalibrationListener {
    private static final Logger LOG = Logger.getLogger(TaskProgress.class);

    private final CalibrationTask task;
    private final JobEventSink events;
    private final ProgressThrottle throttle;

    TaskProgress(CalibrationTask task, JobEventSink events, ProgressThrottle throttle) {
        this.task = task;
        this.events = events;
        this.throttle = throttle;
    }

    @Override
    public void audioEncoded(int done, int total) {
        stopIfInterrupted();
    }

    @Override
    public void videoEncoded(int done, int total) {
        stopIfInterrupted();
    }

    @Override
    public void layerDone(int layersDone, int totalLayers, long tokensPerLayer) {
        stopIfInterrupted();
        if (!throttle.allows(layersDone >= totalLayers)) {
            return;
        }
        try {
            events.publish(JobProgress.of(task.jobId(), JobPhase.CALIBRATION, layersDone, totalLayers, "layers",
                    "calibration task " + task.taskId() + " of " + task.tasks() + ": layer " + layersDone + " of "
                            + totalLayers + " done (" + tokensPerLayer + " tokens)"));
        } catch (PublishException e) {
            // Progress is for people watching; the task's statistics are published (and must arrive) separately.
            LOG.warnf("progress of calibration task %s not published: %s", task.taskId(), e.getMessage());
        }
    }

    private void stopIfInterrupted() {
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException("calibration task " + task.taskId() + " was stopped between layers: its"
                    + " worker thread was interrupted");
        }
    }
}
