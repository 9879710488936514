package io.reapomni.shardwriter;

import io.quarkus.runtime.ShutdownEvent;
import io.reapomni.common.rewrite.StopSignal;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Set when the service starts to stop (SIGTERM, a pod being moved): the job being written finishes the file it is
 * on and stops, leaving its staging area for the next start; a worker thread that Quarkus interrupts before that
 * stops mid-file, just as cleanly.
 */
@Singleton
public class ShutdownSignal implements StopSignal {
    private static final Logger LOG = Logger.getLogger(ShutdownSignal.class);

    private final AtomicBoolean stopping = new AtomicBoolean();

    void onShutdown(@Observes ShutdownEvent event) {
        stopping.set(true);
        LOG.info("stopping: a job being written stops after its current file and is resumed after the restart");
    }

    @Override
    public boolean stopRequested() {
        return stopping.get();
    }
}
