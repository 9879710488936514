package io.reapomni.service;

import io.quarkus.runtime.Quarkus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Ends the service after a {@linkplain FatalErrors fatal error}, so that its supervisor (Kubernetes, the embedded
 * stack) starts a fresh process instead of a damaged one hanging on: Quarkus shuts down as on SIGTERM (consumers
 * commit what was handled, the dead-letter producer flushes) and the process exits with {@value #EXIT_STATUS}. A
 * damaged process may not manage even that, so it is halted once {@code reap.fatal-exit.halt-after}
 * ({@code REAP_FATAL_EXIT_HALT_AFTER}) has passed.
 */
@ApplicationScoped
public class ServiceExit {

    /** {@code EX_SOFTWARE} of sysexits.h: an internal software error. */
    public static final int EXIT_STATUS = 70;

    private static final Logger LOG = Logger.getLogger(ServiceExit.class);

    private final Duration haltAfter;

    @Inject
    public ServiceExit(ServiceConfig config) {
        this(config.fatalExit().haltAfter());
    }

    protected ServiceExit(Duration haltAfter) {
        this.haltAfter = haltAfter;
    }

    /**
     * Starts the exit when {@code failure} is {@linkplain FatalErrors fatal}, and says whether it was; {@code where}
     * names what the failure struck, for the log.
     */
    public boolean exitIfFatal(Throwable failure, String where) {
        if (FatalErrors.fatalIn(failure).isEmpty()) {
            return false;
        }
        afterFatalError(where + " died of " + failure);
        return true;
    }

    /** Starts the exit and returns; {@code reason} says what happened, for the log. */
    public void afterFatalError(String reason) {
        LOG.fatalf("%s; the service stops with status %d so that it is restarted", reason, EXIT_STATUS);
        ForcedHalt.after(haltAfter, EXIT_STATUS);
        Quarkus.asyncExit(EXIT_STATUS);
    }
}
