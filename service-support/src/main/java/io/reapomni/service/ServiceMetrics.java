package io.reapomni.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The job metrics every service exports (Prometheus at {@code /q/metrics}), tagged with the service's name:
 * {@code reap_jobs_started_total}, {@code reap_jobs_completed_total}, {@code reap_jobs_failed_total{cause}},
 * {@code reap_jobs_duration_seconds{outcome}}, {@code reap_messages_dead_lettered_total} and
 * {@code reap_bytes_written_total}. A job here is this service's part of it: one incoming event handled.
 */
@ApplicationScoped
public class ServiceMetrics {

    private final MeterRegistry registry;
    private final String service;

    @Inject
    public ServiceMetrics(MeterRegistry registry, @ConfigProperty(name = "quarkus.application.name") String service) {
        this.registry = registry;
        this.service = service;
    }

    /** The service's name, as in the {@code service} tag. */
    public String service() {
        return service;
    }

    /** Counts a job as started and times it until the returned run ends. */
    public Run jobStarted() {
        counter("reap.jobs.started").increment();
        return new Run(Timer.start(registry));
    }

    /** A message that was not a readable event and went to the dead-letter topic. */
    public void deadLettered() {
        counter("reap.messages.dead.lettered").increment();
    }

    /** Bytes of model data a service wrote to storage. */
    public void bytesWritten(long bytes) {
        counter("reap.bytes.written").increment(bytes);
    }

    private Counter counter(String name, String... tags) {
        return Counter.builder(name).tag("service", service).tags(tags).register(registry);
    }

    /** One job being handled: ends as completed or failed, exactly once. */
    public final class Run {
        private final Timer.Sample sample;

        private Run(Timer.Sample sample) {
            this.sample = sample;
        }

        public void completed() {
            counter("reap.jobs.completed").increment();
            stop("completed");
        }

        public void failed(FailureCause cause) {
            counter("reap.jobs.failed", "cause", cause.tag()).increment();
            stop("failed");
        }

        private void stop(String outcome) {
            sample.stop(Timer.builder("reap.jobs.duration").tag("service", service).tag("outcome", outcome)
                    .register(registry));
        }
    }
}
