package io.reapomni.shardwriter;

import io.smallrye.config.ConfigMapping;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The shard writer's own settings, typed: {@code application.properties} gives the defaults
 * ({@code REAP_SHARD_WRITER_PROGRESS_INTERVAL}, {@code REAP_SHARD_WRITER_SWEEP_*} set them);
 * {@link ShardWriterSettings} checks them. The settings every service shares are service-support's
 * {@code ServiceConfig}.
 */
@ConfigMapping(prefix = "reap")
public interface ShardWriterConfig {

    ShardWriter shardWriter();

    interface ShardWriter {
        /** At most one JobProgress per interval, besides a job's first and last file. */
        Duration progressInterval();

        Sweep sweep();
    }

    /** The removal of what failed or stopped jobs left ({@link StagingJanitor}). */
    interface Sweep {
        /** Leftovers older than this are removed. */
        Duration maxAge();

        /** How often the locations are swept, besides once on start. */
        Duration interval();

        /** Where outputs go ({@code s3://bucket[/prefix]} or folders, separated by commas); none when absent. */
        Optional<List<String>> locations();
    }
}
