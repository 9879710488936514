package io.reapomni.scoring;

import io.quarkus.runtime.Startup;
import io.reapomni.common.events.PlanReady;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.StoreLocation;
import io.reapomni.scoring.jobs.JobStateStore;
import io.reapomni.scoring.jobs.ScoringJobs;
import io.reapomni.service.ConfigChecks;
import io.reapomni.service.EventPublisher;
import io.reapomni.service.JobEventsChannel;
import io.reapomni.service.StorageSettings;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

import java.io.IOException;
import java.time.Duration;

/**
 * Wires {@link ScoringJobs} from its {@link ScoringConfig}: its state in the store at {@code reap.state.location}
 * ({@code REAP_STATE_LOCATION}, a local folder or {@code s3://bucket/prefix}), plans to the {@value #PLANS} channel,
 * progress and failures to the job-events channel, and the calibration deadline
 * {@code reap.scoring.calibration-deadline} ({@code REAP_SCORING_CALIBRATION_DEADLINE}).
 */
@ApplicationScoped
public class ScoringJobsProducer {

    static final String PLANS = "plans";

    @Produces
    @Singleton
    ObjectStore stateStore(StorageSettings storage, ScoringConfig config) {
        return storage.openConfigured(StoreLocation.parse(config.state().location()));
    }

    void closeStateStore(@Disposes ObjectStore store) throws IOException {
        store.close();
    }

    /** Made at start, so that a deadline out of range or an unusable state location stops the service there. */
    @Produces
    @Singleton
    @Startup
    ScoringJobs scoringJobs(ObjectStore stateStore, StorageSettings storage, @Channel(PLANS) Emitter<String> plans,
                            @Identifier(JobEventsChannel.NAME) EventPublisher jobEvents, ScoringConfig config) {
        EventPublisher planPublisher = new EventPublisher(plans);
        return new ScoringJobs(new JobStateStore(stateStore), storage::open,
                event -> (event instanceof PlanReady ? planPublisher : jobEvents).publish(event),
                calibrationDeadline(config.scoring()));
    }

    /** @throws IllegalArgumentException naming the setting when the deadline is not longer than zero */
    static Duration calibrationDeadline(ScoringConfig.Scoring config) {
        return ConfigChecks.positive("reap.scoring.calibration-deadline", config.calibrationDeadline());
    }
}
