package io.reapomni.service;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/**
 * The outgoing channel {@value #NAME} on which every service reports progress and failures of jobs; each service
 * maps it to its topic in its configuration ({@code mp.messaging.outgoing.job-events.topic}).
 */
public final class JobEventsChannel {

    public static final String NAME = "job-events";

    private JobEventsChannel() {
    }

    @Produces
    @Singleton
    @Identifier(NAME)
    static EventPublisher jobEvents(@Channel(NAME) Emitter<String> emitter) {
        return new EventPublisher(emitter);
    }
}
