package io.reapomni.common.rewrite;

import io.reapomni.common.storage.ObjectInfo;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.Segment;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes a rewrite's files into its staging area, which may hold what an interrupted run of the same job wrote
 * before it was killed. A file already there is kept when its size and its SHA-256, read back, equal those of the
 * planned content; anything else there is rewritten (a wrong or partial file) or removed (a file the plan does not
 * write). A size that differs settles it without reading anything back.
 */
final class StagingWriter {
    private final ObjectStore staging;
    private final RewriteCounter counter;
    private final StopSignal stop;
    private final Map<String, Long> present;

    private StagingWriter(ObjectStore staging, RewriteCounter counter, StopSignal stop, Map<String, Long> present) {
        this.staging = staging;
        this.counter = counter;
        this.stop = stop;
        this.present = present;
    }

    /** Lists what the staging area holds now, once: S3 listings cost a request per thousand objects. */
    static StagingWriter over(ObjectStore staging, RewriteCounter counter, StopSignal stop) throws IOException {
        Map<String, Long> present = new TreeMap<>();
        for (ObjectInfo object : staging.list()) {
            present.put(object.key(), object.size());
        }
        return new StagingWriter(staging, counter, stop, present);
    }

    /** Bytes of the files already in the staging area (an earlier run's), which this run may keep. */
    long bytesPresent() {
        return present.entrySet().stream().filter(entry -> !entry.getKey().equals(JobMarker.KEY))
                .mapToLong(java.util.Map.Entry::getValue).sum();
    }

    /** Writes (or keeps) one file; first stops the rewrite if a stop was asked for or the thread was interrupted. */
    ManifestEntry write(String key, List<Segment> segments) throws IOException {
        if (stop.stopRequested() || Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("stopped before writing " + key);
        }
        long size = segments.stream().mapToLong(Segment::length).sum();
        if (present.containsKey(key) && present.get(key) == size) {
            String planned = plannedDigest(segments);
            ManifestEntry entry = new ManifestEntry(key, size, planned);
            if (planned.equals(SegmentDigest.sha256(List.of(new Segment.Range(staging, key, 0, size))))) {
                counter.fileKept(entry);
            } else {
                staging.write(key, segments, counter);
                counter.fileWritten(entry);
            }
            return entry;
        }
        staging.write(key, segments, counter);
        ManifestEntry entry = new ManifestEntry(key, size, plannedDigest(segments));
        counter.fileWritten(entry);
        return entry;
    }

    ManifestEntry write(String key, byte[] content) throws IOException {
        return write(key, List.of(new Segment.Bytes(content)));
    }

    /**
     * Deletes what an earlier run of this job left that this run does not write (it ran another plan), so that the
     * published output is exactly its manifest. {@code keep}: the keys written by this run.
     */
    void removeOthers(Set<String> keep) throws IOException {
        for (String key : present.keySet()) {
            if (!keep.contains(key) && !key.equals(JobMarker.KEY)) {
                staging.delete(key);
            }
        }
    }

    private String plannedDigest(List<Segment> segments) throws IOException {
        String digest = SegmentDigest.sha256(segments);
        counter.hashed(segments.stream().filter(Segment.Range.class::isInstance).mapToLong(Segment::length).sum());
        return digest;
    }
}
