package io.reapomni.calibrationservice;

import io.reapomni.calibration.CalibrationListener;
import io.reapomni.calibration.evaluation.EvaluationListener;
import io.reapomni.common.events.CalibrationTask;
import io.reapomni.common.events.EvaluationTask;
import io.reapomni.common.events.JobPhase;
import io.reapomni.common.events.JobProgress;
import io.reapomni.service.JobEventSink;
import io.reapomni.service.ProgressThrottle;
import io.reapomni.service.PublishException;
import org.jboss.logging.Logger;

import java.util.concurrent.CancellationException;

/**
 * A running task's layers as {@code JobProgress} of its phase (at most one per interval): a calibration task or an
 * evaluation runs for minutes or hours and would otherwise say nothing until its end, and whoever follows the job must
 * be able to tell a long task from a dead worker. Between layers it is also where the task stops when its thread was
 * interrupted (its deadline passed, the service is shutting down): the engine computes without looking at interrupts.
 * An evaluation's steps (each model's prompt pass, its generation) name what the layers belong to.
 */
final class TaskProgress implements CalibrationListener, EvaluationListener {
    private static final Logger LOG = Logger.getLogger(TaskProgress.class);

    private final String jobId;
    private final JobPhase phase;
    private final String task;
    private final JobEventSink events;
    private final ProgressThrottle throttle;
    private String step;

    TaskProgress(CalibrationTask task, JobEventSink events, ProgressThrottle throttle) {
        this(task.jobId(), JobPhase.CALIBRATION, "calibration task " + task.taskId() + " of " + task.tasks(), events,
                throttle);
    }

    TaskProgress(EvaluationTask task, JobEventSink events, ProgressThrottle throttle) {
        this(task.jobId(), JobPhase.EVALUATION, "evaluation of " + task.outputPath(), events, throttle);
    }

    private TaskProgress(String jobId, JobPhase phase, String task, JobEventSink events, ProgressThrottle throttle) {
        this.jobId = jobId;
        this.phase = phase;
        this.task = task;
        this.step = task;
        this.events = events;
        this.throttle = throttle;
    }

    @Override
    public void step(String description) {
        stopIfInterrupted();
        step = task + ", " + description;
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
        // A calibration task's last layer is its end, always worth a line; an evaluation's passes end many times over.
        if (!throttle.allows(phase == JobPhase.CALIBRATION && layersDone >= totalLayers)) {
            return;
        }
        try {
            events.publish(JobProgress.of(jobId, phase, layersDone, totalLayers, "layers", step + ": layer "
                    + layersDone + " of " + totalLayers + " done (" + tokensPerLayer + " tokens)"));
        } catch (PublishException e) {
            // Progress is for people watching; the task's results are published (and must arrive) separately.
            LOG.warnf("progress of %s not published: %s", task, e.getMessage());
        }
    }

    private void stopIfInterrupted() {
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException(task + " was stopped between layers: its worker thread was interrupted");
        }
    }
}
