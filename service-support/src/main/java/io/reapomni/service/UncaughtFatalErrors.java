package io.reapomni.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * A fatal error on a thread that nothing catches (a Kafka client's network thread, a scheduler's) ends the service
 * as one in a job's handler does: a producer whose sender thread died would otherwise leave the service running
 * and unable to publish, with every later job hanging. Other uncaught throwables go on to the handler that was
 * there before, which is put back when the application stops.
 */
@ApplicationScoped
class UncaughtFatalErrors {

    private static final Logger LOG = Logger.getLogger(UncaughtFatalErrors.class);

    private Thread.UncaughtExceptionHandler previous;

    void install(@Observes StartupEvent started, ServiceExit exit) {
        previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.UncaughtExceptionHandler before = previous;
        Thread.setDefaultUncaughtExceptionHandler((thread, failure) -> {
            if (exit.exitIfFatal(failure, "thread " + thread.getName())) {
                return;
            }
            if (before != null) {
                before.uncaughtException(thread, failure);
            } else {
                LOG.errorf(failure, "thread %s died", thread.getName());
            }
        });
    }

    void uninstall(@Observes ShutdownEvent stopping) {
        Thread.setDefaultUncaughtExceptionHandler(previous);
    }
}
