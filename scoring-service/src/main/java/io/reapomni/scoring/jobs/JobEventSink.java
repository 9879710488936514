package io.reapomni.scoring.jobs;

import io.reapomni.common.events.JobEvent;
import io.reapomni.service.PublishException;

/** Where the scoring of jobs publishes: returns once the broker has the event. */
@FunctionalInterface
public interface JobEventSink {
    void publish(JobEvent event) throws PublishException;
}
