package io.reapomni.calibrationservice;

import io.quarkus.runtime.Startup;
import io.reapomni.common.events.CalibrationTask;
import io.reapomni.common.events.EvaluationTask;
import io.reapomni.common.events.JobPhase;
import io.reapomni.service.EventPublisher;
import io.reapomni.service.JobEventConsumer;
import io.reapomni.service.JobEventsChannel;
import io.reapomni.service.JobStores;
import io.reapomni.service.ProgressThrottle;
import io.reapomni.service.StorageSettings;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Kafka in and out of {@link CalibrationTaskRunner} and {@link EvaluationTaskRunner}: calibration tasks in, statistics
 * and progress out; evaluation tasks in, their results (for the shard writer) and progress out. A task is
 * acknowledged, and its offset committed, only after its results reached the broker. The two kinds take turns on the
 * device: one task at a time. Created at start, so that a setting out of range stops the worker there.
 */
@ApplicationScoped
@Startup
public class CalibrationWorker {
    private static final Logger LOG = Logger.getLogger(CalibrationWorker.class);

    static final String TASKS = "calibration-tasks";
    static final String STATS = "calibration-stats";
    static final String EVALUATION_TASKS = "evaluation-tasks";
    static final String EVALUATIONS = "evaluations";
    /** Layer progress of a running task: often enough to tell a long task from a dead worker, seldom enough to be cheap. */
    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(10);
    /** A worker meets one model at a time as a rule; a second one keeps two jobs on different models from thrashing. */
    private static final int CACHED_MODELS = 2;

    private final JobEventConsumer consumer;
    private final ModelCache models;
    private final CalibrationTaskRunner runner;
    private final EvaluationTaskRunner evaluator;
    private final EventPublisher stats;
    private final EventPublisher evaluations;
    private final EventPublisher jobEvents;
    private final ReentrantLock device = new ReentrantLock();

    @Inject
    public CalibrationWorker(JobEventConsumer consumer, StorageSettings storage,
                             @Channel(STATS) Emitter<String> stats,
                             @Channel(EVALUATIONS) Emitter<String> evaluations,
                             @Identifier(JobEventsChannel.NAME) EventPublisher jobEvents, WorkerConfig config) {
        this.consumer = consumer;
        WorkerSettings settings = WorkerSettings.of(config);
        JobStores stores = storage.jobStores("the calibration service");
        this.models = new ModelCache(stores.access()::openForReading, CACHED_MODELS, settings.media());
        this.runner = new CalibrationTaskRunner(models, stores, settings.compute(), settings.maxTaskSamples());
        this.evaluator = new EvaluationTaskRunner(stores, settings.compute(), settings.residentWeightBytes(),
                settings.media());
        this.stats = new EventPublisher(stats);
        this.evaluations = new EventPublisher(evaluations);
        this.jobEvents = jobEvents;
    }

    /** Runs the thinker for minutes: blocking, on a worker thread, one task at a time. */
    @Incoming(TASKS)
    @Blocking
    public CompletionStage<Void> onTask(Message<String> message) {
        return consumer.consume(message, CalibrationTask.class, JobPhase.CALIBRATION, task -> {
            // A task runs for minutes and only its end is published: the log says which worker holds which task.
            LOG.infof("started calibration task %s of %d: %d samples of %s", task.taskId(), task.tasks(),
                    task.sampleCount(), task.slices().stream().map(CalibrationTask.Slice::dataFile).toList());
            device.lockInterruptibly();
            try {
                TaskResult result = runner.run(task, new TaskProgress(task, jobEvents,
                        new ProgressThrottle(Clock.systemUTC(), PROGRESS_INTERVAL)));
                stats.publish(result.stats());
                jobEvents.publish(result.progress());
            } finally {
                device.unlock();
            }
        });
    }

    /** Runs both models over the held-out samples: blocking, on a worker thread, taking turns with calibration. */
    @Incoming(EVALUATION_TASKS)
    @Blocking
    public CompletionStage<Void> onEvaluationTask(Message<String> message) {
        return consumer.consume(message, EvaluationTask.class, JobPhase.EVALUATION, task -> {
            LOG.infof("started evaluating %s against %s on %s of %s", task.outputPath(), task.modelPath(),
                    task.samples().range(), task.samples().dataFile());
            device.lockInterruptibly();
            try {
                EvaluationTaskRunner.Result result = evaluator.run(task, new TaskProgress(task, jobEvents,
                        new ProgressThrottle(Clock.systemUTC(), PROGRESS_INTERVAL)));
                evaluations.publish(result.reported());
                jobEvents.publish(result.progress());
            } finally {
                device.unlock();
            }
        });
    }

    @PreDestroy
    void closeModels() {
        models.close();
    }
}
