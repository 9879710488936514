package io.reapomni.common.rewrite;

import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.checkpoint.CheckpointIndex;
import io.reapomni.common.plan.ConfigEdits;
import io.reapomni.common.plan.PlanException;
import io.reapomni.common.plan.PlanValidator;
import io.reapomni.common.plan.PruningPlan;
import io.reapomni.common.plan.TensorMapping;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.Segment;
import io.reapomni.common.storage.StoreLocation;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Executes a pruning plan on a checkpoint in one pass: each output shard is a new header followed by byte ranges of
 * its source shard (kept tensors whole, pruned routers row by row), copied the cheapest way the stores allow; then the
 * other files, the edited config, the index, the report, and last the manifest. Everything goes to the output's
 * staging area, which is published only when complete and discarded on any failure; the source is only read.
 */
public final class CheckpointRewriter {
    /** Files a rewrite makes itself; copies of them in the source (a model pruned before) are not carried over. */
    private static final Set<String> GENERATED = Set.of(Manifest.FILE_NAME, RewriteReport.JSON_FILE,
            RewriteReport.MARKDOWN_FILE);

    private final ObjectStore sourceStore;
    private final Checkpoint source;

    public CheckpointRewriter(ObjectStore sourceStore, Checkpoint source) {
        this.sourceStore = sourceStore;
        this.source = source;
    }

    /** Validates {@code plan} and refuses an output that overlaps the source, before anything is written. */
    public void check(PruningPlan plan, StoreLocation output) throws PlanException, IOException {
        if (output.overlaps(sourceStore.location())) {
            throw new IllegalArgumentException("output " + output + " overlaps the model at " + sourceStore.location()
                    + ": write the pruned model somewhere outside its source");
        }
        PlanValidator.validate(plan, source);
    }

    public RewriteResult rewrite(PruningPlan plan, OutputTarget target, String jobId, RewriteListener listener)
            throws PlanException, IOException {
        CountingListener counter = new CountingListener(listener);
        long started = System.nanoTime();
        try {
            // Refusals too discard the target: opening it may already have made its (empty) staging folder.
            check(plan, target.location());
            ConfigEdits edits = ConfigEdits.derive(source.config(), plan);
            PruningPlan executed = plan.withConfigEdits(edits.edits());
            List<ShardPlan> shards = RewriteLayout.of(source, TensorMapping.of(source.tensorInfos(), executed));
            List<String> copied = source.otherFiles().stream().filter(key -> !GENERATED.contains(key)).toList();
            listener.started(shards.size() + copied.size() + 5, plannedBytes(shards, copied));
            List<ManifestEntry> files = new ArrayList<>();
            for (ShardPlan shard : shards) {
                files.add(write(target.staging(), shard.targetKey(), shard.segments(sourceStore), counter));
            }
            for (String key : copied) {
                List<Segment> whole = List.of(new Segment.Range(sourceStore, key, 0, sourceStore.size(key)));
                files.add(write(target.staging(), key, whole, counter));
            }
            files.add(writeBytes(target.staging(), Checkpoint.CONFIG_KEY, edits.edited().toJsonBytes(), counter));
            if (source.index().isPresent() || shards.size() > 1) {
                files.add(writeBytes(target.staging(), CheckpointIndex.KEY, index(shards).toJsonBytes(), counter));
            }
            RewriteReport report = RewriteReports.of(jobId, source, sourceStore.location().toString(),
                    target.location().toString(), executed, shards, counter.stats(started));
            files.add(writeBytes(target.staging(), RewriteReport.JSON_FILE, ReportFiles.json(report), counter));
            files.add(writeBytes(target.staging(), RewriteReport.MARKDOWN_FILE, ReportFiles.markdown(report), counter));
            Manifest manifest = new Manifest(Manifest.SCHEMA_VERSION, jobId, sourceStore.location().toString(), files);
            writeBytes(target.staging(), Manifest.FILE_NAME, ReportFiles.json(manifest), counter);
            target.publish();
            return new RewriteResult(manifest, report, counter.stats(started));
        } catch (PlanException | IOException | RuntimeException | Error e) {
            try {
                target.discard();
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private CheckpointIndex index(List<ShardPlan> shards) {
        Map<String, String> weightMap = new LinkedHashMap<>();
        long bytes = 0;
        long parameters = 0;
        for (ShardPlan shard : shards) {
            for (PlannedTensor tensor : shard.tensors()) {
                weightMap.put(tensor.targetName(), shard.targetKey());
                bytes += tensor.byteLength();
                parameters += tensor.byteLength() / tensor.dtype().byteSize();
            }
        }
        boolean sourceCountedParameters = source.index().map(index -> index.totalParameters().isPresent()).orElse(false);
        return new CheckpointIndex(weightMap, bytes, sourceCountedParameters ? OptionalLong.of(parameters) : OptionalLong.empty());
    }

    private long plannedBytes(List<ShardPlan> shards, List<String> copied) throws IOException {
        long bytes = 0;
        for (ShardPlan shard : shards) {
            bytes += shard.header().fileLength();
        }
        for (String key : copied) {
            bytes += sourceStore.size(key);
        }
        return bytes;
    }

    private static ManifestEntry write(ObjectStore target, String key, List<Segment> segments, CountingListener counter)
            throws IOException {
        target.write(key, segments, counter);
        String sha256 = SegmentDigest.sha256(segments);
        long size = segments.stream().mapToLong(Segment::length).sum();
        counter.hashed(size);
        ManifestEntry entry = new ManifestEntry(key, size, sha256);
        counter.fileWritten(entry);
        return entry;
    }

    private static ManifestEntry writeBytes(ObjectStore target, String key, byte[] content, CountingListener counter)
            throws IOException {
        target.write(key, List.of(new Segment.Bytes(content)), counter);
        ManifestEntry entry = new ManifestEntry(key, content.length, SegmentDigest.sha256(content));
        counter.fileWritten(entry);
        return entry;
    }

    /** Passes events on and keeps the totals for the report. */
    private static final class CountingListener implements RewriteListener {
        private final RewriteListener delegate;
        private final AtomicLong written = new AtomicLong();
        private final AtomicLong streamed = new AtomicLong();
        private final AtomicLong inPlace = new AtomicLong();
        private final AtomicLong hashed = new AtomicLong();

        CountingListener(RewriteListener delegate) {
            this.delegate = delegate;
        }

        @Override
        public void streamed(long bytes) {
            streamed.addAndGet(bytes);
            delegate.streamed(bytes);
        }

        @Override
        public void copiedInPlace(long bytes) {
            inPlace.addAndGet(bytes);
            delegate.copiedInPlace(bytes);
        }

        @Override
        public void fileWritten(ManifestEntry file) {
            written.addAndGet(file.size());
            delegate.fileWritten(file);
        }

        void hashed(long bytes) {
            hashed.addAndGet(bytes);
        }

        TransferStats stats(long startedNanos) {
            return new TransferStats(written.get(), streamed.get(), inPlace.get(), hashed.get(),
                    (System.nanoTime() - startedNanos) / 1e9);
        }
    }
}
