package io.reapomni.shardwriter;

import io.reapomni.common.storage.StoreLocation;
import io.reapomni.service.ConfigChecks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The shard writer's configuration checked and parsed: how often a job's progress may be reported, and the sweep of
 * leftovers (their age, how often, where). A value out of range, or a location that is not one, is refused naming its
 * variable.
 */
record ShardWriterSettings(Duration progressInterval, Duration sweepMaxAge, Duration sweepInterval,
                           List<StoreLocation> sweepLocations) {

    ShardWriterSettings {
        sweepLocations = List.copyOf(sweepLocations);
    }

    /** @throws IllegalArgumentException naming the setting that is out of range or not a location */
    static ShardWriterSettings of(ShardWriterConfig config) {
        ShardWriterConfig.ShardWriter writer = config.shardWriter();
        List<StoreLocation> locations = new ArrayList<>();
        for (String text : writer.sweep().locations().orElse(List.of())) {
            if (!text.isBlank()) {
                locations.add(location(text.trim()));
            }
        }
        return new ShardWriterSettings(
                ConfigChecks.notNegative("reap.shard-writer.progress-interval", writer.progressInterval()),
                ConfigChecks.positive("reap.shard-writer.sweep.max-age", writer.sweep().maxAge()),
                ConfigChecks.positive("reap.shard-writer.sweep.interval", writer.sweep().interval()), locations);
    }

    private static StoreLocation location(String text) {
        try {
            return StoreLocation.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ConfigChecks.setting("reap.shard-writer.sweep.locations") + " names \""
                    + text + "\", which is not a location: " + e.getMessage(), e);
        }
    }
}
