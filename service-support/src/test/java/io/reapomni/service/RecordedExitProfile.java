package io.reapomni.service;

import io.quarkus.test.junit.QuarkusTestProfile;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/** The test application with a service exit that only records why it was asked for, so that it keeps running. */
public class RecordedExitProfile implements QuarkusTestProfile {

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(RecordedExit.class);
    }

    @Alternative
    @Priority(1)
    @ApplicationScoped
    public static class RecordedExit extends ServiceExit {
        private final List<String> reasons = new CopyOnWriteArrayList<>();

        public RecordedExit() {
            super(Duration.ZERO);
        }

        @Override
        public void afterFatalError(String reason) {
            reasons.add(reason);
        }

        List<String> reasons() {
            return reasons;
        }
    }
}
