package io.reapomni.service;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A service exit that only remembers why it was asked for: a test JVM must go on. */
class RecordingExit extends ServiceExit {

    private final List<String> reasons = new CopyOnWriteArrayList<>();

    RecordingExit() {
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
