package io.reapomni.service;

import io.reapomni.common.events.JobEvent;

/**
 * Where a service's plain classes publish job events: an {@link EventPublisher} (returns once the broker has the
 * event), or a list in a test.
 */
@FunctionalInterface
public interface JobEventSink {
    void publish(JobEvent event) throws PublishException;
}
