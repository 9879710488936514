package io.reapomni.common.rewrite;

import io.reapomni.common.job.JobIds;
import io.reapomni.common.storage.S3ObjectStore;
import io.reapomni.common.storage.S3Settings;
import io.reapomni.common.storage.StoreLocation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Removes what jobs left behind and no run came back for, once it is older than a maximum age:
 * <ul>
 *   <li>local staging folders ({@code .NAME.reap-staging-JOB}, hidden siblings that reap-omni made) of jobs other than
 *       the running ones, whose newest file is older than the age: the finished files of a job that failed or was
 *       stopped and was never run again;</li>
 *   <li>multipart uploads under an S3 location started before that age: parts of writers that were killed, which
 *       S3 keeps (and bills) until someone aborts them.</li>
 * </ul>
 * An unfinished S3 output (a prefix holding a {@code .reap-job} marker) is left alone: its location was named by a
 * user, who resumes it with the same job id or deletes it (the refusal of any other job says so).
 */
public final class StagingSweeper {
    /** How long an abandoned staging area waits for its job to come back: long enough to cover a weekend. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(7);
    /** The maximum age as an ISO-8601 duration (PT12H, P7D) in the environment of the CLI. */
    public static final String MAX_AGE_VARIABLE = "REAP_STAGING_MAX_AGE";

    private StagingSweeper() {
    }

    /** The age that {@link #MAX_AGE_VARIABLE} sets, {@link #DEFAULT_MAX_AGE} when it is not set. */
    public static Duration maxAge(Map<String, String> environment) {
        String value = environment.get(MAX_AGE_VARIABLE);
        if (value == null || value.isBlank()) {
            return DEFAULT_MAX_AGE;
        }
        try {
            Duration age = Duration.parse(value.trim());
            if (age.isNegative() || age.isZero()) {
                throw new IllegalStateException(MAX_AGE_VARIABLE + " must be a positive duration, not " + value);
            }
            return age;
        } catch (DateTimeParseException e) {
            throw new IllegalStateException(MAX_AGE_VARIABLE + " is not an ISO-8601 duration such as P7D or PT12H: "
                    + value, e);
        }
    }

    /**
     * Sweeps where an output's leftovers lie: the staging folders beside a local output folder (in its parent), or
     * the multipart uploads under an S3 output.
     *
     * @param activeJobs job ids whose staging areas are in use and never removed, however old
     * @return what was removed, one line each, for the log
     */
    public static List<String> sweepNear(StoreLocation output, Supplier<S3Settings> s3Settings, Duration maxAge,
                                         Set<String> activeJobs, Clock clock) throws IOException {
        if (output instanceof StoreLocation.Local local) {
            Path parent = local.folder().getParent();
            return parent == null ? List.of()
                    : sweepIn(new StoreLocation.Local(parent), s3Settings, maxAge, activeJobs, clock);
        }
        return sweepIn(output, s3Settings, maxAge, activeJobs, clock);
    }

    /**
     * Sweeps a place where outputs are written: the staging folders directly in a local folder, or the multipart
     * uploads anywhere under an S3 location.
     */
    public static List<String> sweepIn(StoreLocation location, Supplier<S3Settings> s3Settings, Duration maxAge,
                                       Set<String> activeJobs, Clock clock) throws IOException {
        Instant cutoff = clock.instant().minus(maxAge);
        if (location instanceof StoreLocation.Local local) {
            return sweepFolder(local.folder(), cutoff, activeJobs).stream()
                    .map(folder -> "staging folder " + folder).toList();
        }
        try (S3ObjectStore store = S3ObjectStore.open(s3Settings.get(), (StoreLocation.S3) location)) {
            return store.abortUploadsStartedBefore(cutoff).stream()
                    .map(key -> "multipart upload of " + key + " in " + location).toList();
        }
    }

    /**
     * Deletes the staging folders directly in {@code parent} whose job is not active and whose newest entry was
     * modified before {@code cutoff}.
     */
    static List<Path> sweepFolder(Path parent, Instant cutoff, Set<String> activeJobs) throws IOException {
        if (!Files.isDirectory(parent)) {
            return List.of();
        }
        List<Path> stale = new ArrayList<>();
        try (Stream<Path> entries = Files.list(parent)) {
            for (Path entry : entries.toList()) {
                String job = jobOf(entry.getFileName().toString());
                if (job != null && !activeJobs.contains(job) && Files.isDirectory(entry)
                        && !Files.isSymbolicLink(entry) && newestModification(entry).toInstant().isBefore(cutoff)) {
                    stale.add(entry);
                }
            }
        }
        for (Path folder : stale) {
            LocalStaging.deleteTree(folder);
        }
        return stale;
    }

    /** The job id of a staging folder's name, or null when the name is not one. */
    private static String jobOf(String name) {
        int suffix = name.lastIndexOf(LocalStaging.SUFFIX);
        if (!name.startsWith(".") || suffix <= 1) {
            return null;
        }
        String job = name.substring(suffix + LocalStaging.SUFFIX.length());
        return JobIds.isValid(job) ? job : null;
    }

    private static FileTime newestModification(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.map(StagingSweeper::modified).max(FileTime::compareTo).orElseThrow();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static FileTime modified(Path path) {
        try {
            return Files.getLastModifiedTime(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
