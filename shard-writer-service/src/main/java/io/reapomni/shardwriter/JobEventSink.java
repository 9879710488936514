package io.reapomni.shardwriter;

import io.reapomni.common.events.JobEvent;
import io.reapomni.service.PublishException;

/** Where the shard writer reports a job's progress and end: the job-events topic, or a list in a test. */
@FunctionalInterface
public interface JobEventSink {
    void publish(JobEvent event) throws PublishException;
}
