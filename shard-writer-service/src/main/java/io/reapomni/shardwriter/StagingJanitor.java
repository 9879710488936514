package io.reapomni.shardwriter;

import io.reapomni.common.rewrite.StagingSweeper;
import io.reapomni.common.storage.S3Settings;
import io.reapomni.common.storage.StoreLocation;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Removes what jobs of this service left and never came back for (see {@link StagingSweeper}): near each job's
 * output when the job starts, and in the configured locations (where outputs go) on start and periodically. A sweep
 * that fails is logged and tried again next time; it never fails a job.
 */
final class StagingJanitor {
    private static final Logger LOG = Logger.getLogger(StagingJanitor.class);

    private final Supplier<S3Settings> s3Settings;
    private final Duration maxAge;
    private final List<StoreLocation> locations;
    private final Clock clock;

    StagingJanitor(Supplier<S3Settings> s3Settings, Duration maxAge, List<StoreLocation> locations, Clock clock) {
        this.s3Settings = s3Settings;
        this.maxAge = maxAge;
        this.locations = List.copyOf(locations);
        this.clock = clock;
    }

    /** Sweeps beside (local) or under (S3) the output of job {@code activeJob}, which keeps its own staging area. */
    void sweepNear(StoreLocation output, String activeJob) {
        try {
            log(StagingSweeper.sweepNear(output, s3Settings, maxAge, Set.of(activeJob), clock));
        } catch (IOException | RuntimeException e) {
            LOG.warnf("could not sweep what earlier jobs left near %s: %s", output, e.getMessage());
        }
    }

    /** Sweeps every configured location, sparing the staging areas of {@code activeJobs}. */
    void sweepLocations(Set<String> activeJobs) {
        for (StoreLocation location : locations) {
            try {
                log(StagingSweeper.sweepIn(location, s3Settings, maxAge, activeJobs, clock));
            } catch (IOException | RuntimeException e) {
                LOG.warnf("could not sweep %s: %s", location, e.getMessage());
            }
        }
    }

    private void log(List<String> removed) {
        removed.forEach(what -> LOG.infof("removed %s, left by a job that did not come back for %s", what, maxAge));
    }
}
