package io.reapomni.shardwriter;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Runs the {@link StagingJanitor}'s sweep of the configured locations on start and every interval, on its own thread. */
@ApplicationScoped
public class JanitorSchedule {
    private final StagingJanitor janitor;
    private final PlanExecutor executor;
    private final Duration interval;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "staging-janitor");
        thread.setDaemon(true);
        return thread;
    });

    @Inject
    JanitorSchedule(StagingJanitor janitor, PlanExecutor executor, ShardWriterSettings settings) {
        this.janitor = janitor;
        this.executor = executor;
        this.interval = settings.sweepInterval();
    }

    void start(@Observes StartupEvent event) {
        timer.scheduleWithFixedDelay(() -> janitor.sweepLocations(executor.activeJobs()), 0, interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }
}
