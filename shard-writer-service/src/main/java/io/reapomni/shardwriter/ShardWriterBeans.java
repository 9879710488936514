package io.reapomni.shardwriter;

import io.reapomni.service.EventPublisher;
import io.reapomni.service.JobEventsChannel;
import io.reapomni.service.ServiceMetrics;
import io.reapomni.service.StorageSettings;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.Duration;

/** Wires the plain {@link PlanExecutor} to the service's configuration, topic and metrics. */
public final class ShardWriterBeans {

    private ShardWriterBeans() {
    }

    @Produces
    @Singleton
    static PlanExecutor planExecutor(StorageSettings storage, @Identifier(JobEventsChannel.NAME) EventPublisher jobEvents,
                                     ServiceMetrics metrics,
                                     @ConfigProperty(name = "reap.shard-writer.progress-interval") Duration progressInterval) {
        return new PlanExecutor(storage.access(), jobEvents, metrics::bytesWritten, Clock.systemUTC(),
                progressInterval);
    }
}
