package io.reapomni.shardwriter;

import io.reapomni.common.events.EvaluationTask;
import io.reapomni.common.storage.StoreLocation;
import io.reapomni.service.EventPublisher;
import io.reapomni.service.JobEventsChannel;
import io.reapomni.service.ProgressThrottle;
import io.reapomni.service.ServiceMetrics;
import io.reapomni.service.StorageSettings;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Wires the plain {@link PlanExecutor}, {@link EvaluationRecorder} and {@link StagingJanitor} to the service's
 * configuration, topics and metrics: evaluation tasks go to the {@value #EVALUATION_TASKS} channel, everything else
 * to the job events.
 */
public final class ShardWriterBeans {

    static final String EVALUATION_TASKS = "evaluation-tasks";

    private ShardWriterBeans() {
    }

    @Produces
    @Singleton
    static StagingJanitor stagingJanitor(StorageSettings storage,
                                         @ConfigProperty(name = "reap.shard-writer.sweep.max-age") Duration maxAge,
                                         @ConfigProperty(name = "reap.shard-writer.sweep.locations")
                                         Optional<List<String>> locations) {
        List<StoreLocation> parsed = locations.orElse(List.of()).stream().filter(text -> !text.isBlank())
                .map(StoreLocation::parse).toList();
        return new StagingJanitor(storage::s3, maxAge, parsed, Clock.systemUTC());
    }

    @Produces
    @Singleton
    static PlanExecutor planExecutor(StorageSettings storage, @Identifier(JobEventsChannel.NAME) EventPublisher jobEvents,
                                     @Channel(EVALUATION_TASKS) Emitter<String> evaluationTasks,
                                     ServiceMetrics metrics, ShutdownSignal shutdown, StagingJanitor janitor,
                                     @ConfigProperty(name = "reap.shard-writer.progress-interval") Duration progressInterval) {
        EventPublisher evaluations = new EventPublisher(evaluationTasks);
        return new PlanExecutor(storage.access(),
                event -> (event instanceof EvaluationTask ? evaluations : jobEvents).publish(event),
                metrics::bytesWritten, () -> new ProgressThrottle(Clock.systemUTC(), progressInterval), shutdown,
                janitor);
    }

    @Produces
    @Singleton
    static EvaluationRecorder evaluationRecorder(StorageSettings storage,
                                                 @Identifier(JobEventsChannel.NAME) EventPublisher jobEvents) {
        return new EvaluationRecorder(storage.access(), jobEvents);
    }
}
