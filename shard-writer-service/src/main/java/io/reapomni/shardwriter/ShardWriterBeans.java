package io.reapomni.shardwriter;

import io.reapomni.common.events.EvaluationTask;
import io.reapomni.service.EventPublisher;
import io.reapomni.service.JobEventsChannel;
import io.reapomni.service.ProgressThrottle;
import io.reapomni.service.ServiceMetrics;
import io.reapomni.service.StorageSettings;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

import java.time.Clock;

/**
 * Wires the plain {@link PlanExecutor}, {@link EvaluationRecorder} and {@link StagingJanitor} to the service's
 * configuration ({@link ShardWriterSettings}, checked once), topics and metrics: evaluation tasks go to the
 * {@value #EVALUATION_TASKS} channel, everything else to the job events.
 */
public final class ShardWriterBeans {

    static final String EVALUATION_TASKS = "evaluation-tasks";

    private ShardWriterBeans() {
    }

    @Produces
    @Singleton
    static ShardWriterSettings settings(ShardWriterConfig config) {
        return ShardWriterSettings.of(config);
    }

    @Produces
    @Singleton
    static StagingJanitor stagingJanitor(StorageSettings storage, ShardWriterSettings settings) {
        return new StagingJanitor(storage::s3, settings.sweepMaxAge(), settings.sweepLocations(), Clock.systemUTC());
    }

    @Produces
    @Singleton
    static PlanExecutor planExecutor(StorageSettings storage, @Identifier(JobEventsChannel.NAME) EventPublisher jobEvents,
                                     @Channel(EVALUATION_TASKS) Emitter<String> evaluationTasks,
                                     ServiceMetrics metrics, ShutdownSignal shutdown, StagingJanitor janitor,
                                     ShardWriterSettings settings) {
        EventPublisher evaluations = new EventPublisher(evaluationTasks);
        return new PlanExecutor(storage.jobStores("the shard writer"),
                event -> (event instanceof EvaluationTask ? evaluations : jobEvents).publish(event),
                metrics::bytesWritten, () -> new ProgressThrottle(Clock.systemUTC(), settings.progressInterval()),
                shutdown, janitor);
    }

    @Produces
    @Singleton
    static EvaluationRecorder evaluationRecorder(StorageSettings storage,
                                                 @Identifier(JobEventsChannel.NAME) EventPublisher jobEvents) {
        return new EvaluationRecorder(storage.jobStores("the shard writer"), jobEvents);
    }
}
