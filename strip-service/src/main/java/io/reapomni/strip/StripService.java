package io.reapomni.strip;

import io.quarkus.runtime.Startup;
import io.reapomni.common.events.CalibrationTask;
import io.reapomni.common.events.JobPhase;
import io.reapomni.common.events.PruneRequested;
import io.reapomni.service.ConfigChecks;
import io.reapomni.service.EventPublisher;
import io.reapomni.service.JobEventConsumer;
import io.reapomni.service.JobEventsChannel;
import io.reapomni.service.JobStores;
import io.reapomni.service.StorageSettings;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletionStage;

/**
 * Kafka in and out of {@link StripPlanner}: requests in; calibration tasks, planned jobs and planning progress out.
 * Created at start, so that a setting out of range stops the service there.
 */
@ApplicationScoped
@Startup
public class StripService {
    private static final Logger LOG = Logger.getLogger(StripService.class);

    static final String REQUESTS = "requests";
    static final String JOBS = "jobs";
    static final String CALIBRATION_TASKS = "calibration-tasks";

    private final JobEventConsumer consumer;
    private final StripPlanner planner;
    private final EventPublisher jobs;
    private final EventPublisher calibrationTasks;
    private final EventPublisher jobEvents;

    @Inject
    public StripService(JobEventConsumer consumer, StorageSettings storage, @Channel(JOBS) Emitter<String> jobs,
                        @Channel(CALIBRATION_TASKS) Emitter<String> calibrationTasks,
                        @Identifier(JobEventsChannel.NAME) EventPublisher jobEvents, StripConfig config) {
        this.consumer = consumer;
        JobStores stores = storage.jobStores("the strip service");
        this.planner = new StripPlanner(stores, fanOut(stores, config.calibration()));
        this.jobs = new EventPublisher(jobs);
        this.calibrationTasks = new EventPublisher(calibrationTasks);
        this.jobEvents = jobEvents;
    }

    /** @throws IllegalArgumentException naming the setting when the workers or the samples per task are below 1 */
    static CalibrationFanOut fanOut(JobStores stores, StripConfig.Calibration config) {
        return new CalibrationFanOut(stores, ConfigChecks.atLeast("reap.calibration.workers", config.workers(), 1),
                ConfigChecks.atLeast("reap.calibration.task-samples", config.taskSamples(), 1));
    }

    /** Reads models from storage: blocking, on a worker thread, one request at a time per partition. */
    @Incoming(REQUESTS)
    @Blocking
    public CompletionStage<Void> onRequest(Message<String> message) {
        return consumer.consume(message, PruneRequested.class, JobPhase.PLANNING, requested -> {
            // Planning publishes only its end: the log says which instance holds which request meanwhile.
            LOG.infof("planning the request for %s", requested.request().modelPath());
            PlannedJob planned = planner.plan(requested);
            // The end of planning is said before the work goes out, so a watcher never sees a worker's progress
            // before it; tasks before the plan that counts them: scoring may see statistics before it sees the plan,
            // never a plan whose tasks were not all published.
            jobEvents.publish(planned.progress());
            for (CalibrationTask task : planned.tasks()) {
                calibrationTasks.publish(task);
            }
            jobs.publish(planned.planned());
        });
    }
}
