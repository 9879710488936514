package io.reapomni.common.rewrite;

import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.checkpoint.CheckpointIndex;
import io.reapomni.common.plan.ConfigEdits;
import io.reapomni.common.plan.PlanJson;
import io.reapomni.common.plan.PlanException;
import io.reapomni.common.plan.PlanValidator;
import io.reapomni.common.plan.PruningPlan;
import io.reapomni.common.plan.TensorMapping;
import io.reapomni.common.report.ReportFigures;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.Segment;
import io.reapomni.common.storage.StoreLocation;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Executes a pruning plan on a checkpoint in one pass: each output shard is a new header followed by byte ranges of
 * its source shard (kept tensors whole, pruned routers row by row), copied the cheapest way the stores allow; then the
 * other files, the edited config, the index, the report, and last the manifest. Everything goes to the output's
 * staging area, which is published only when complete and discarded on any failure; the source is only read.
 */
public final class CheckpointRewriter {
    /** Files a rewrite makes itself; copies of them in the source (a model pruned before) are not carried over. */
    private static final Set<String> GENERATED = generated();

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

    /**
     * Writes the output of job {@code jobId} into {@code target}, or returns the output that an earlier run of the
     * same job published. Files that an interrupted run of the job left complete and correct are kept (see
     * {@link StagingWriter}); on failure everything in the staging area is discarded.
     */
    public RewriteResult rewrite(PruningPlan plan, OutputTarget target, String jobId, RewriteListener listener)
            throws PlanException, IOException {
        if (target instanceof OutputTarget.Published published) {
            check(plan, target.location());
            return published.result();
        }
        OutputTarget.Writable writable = (OutputTarget.Writable) target;
        try {
            // Refusals too discard the target: opening it may already have made its (empty) staging folder.
            check(plan, target.location());
            return write(plan, writable, jobId, new RewriteCounter(listener));
        } catch (PlanException | IOException | RuntimeException | Error e) {
            try {
                writable.discard();
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private RewriteResult write(PruningPlan plan, OutputTarget.Writable target, String jobId, RewriteCounter counter)
            throws PlanException, IOException {
        ConfigEdits edits = ConfigEdits.derive(source.config(), plan);
        PruningPlan executed = plan.withConfigEdits(edits.edits());
        List<ShardPlan> shards = RewriteLayout.of(source, TensorMapping.of(source.tensorInfos(), executed));
        List<String> copied = source.otherFiles().stream().filter(key -> !GENERATED.contains(key)).toList();
        // config, index, manifest, the report's JSON and Markdown, and its figures
        int generatedFiles = 5 + ReportFigures.files(RewriteReport.scoringEvidence(PlanJson.toTree(executed)),
                Optional.empty()).size();
        counter.started(shards.size() + copied.size() + generatedFiles, plannedBytes(shards, copied));
        StagingWriter writer = StagingWriter.over(target.staging(), counter);
        List<ManifestEntry> files = new ArrayList<>();
        for (ShardPlan shard : shards) {
            files.add(writer.write(shard.targetKey(), shard.segments(sourceStore)));
        }
        for (String key : copied) {
            files.add(writer.write(key, List.of(new Segment.Range(sourceStore, key, 0, sourceStore.size(key)))));
        }
        files.add(writer.write(Checkpoint.CONFIG_KEY, edits.edited().toJsonBytes()));
        if (source.index().isPresent() || shards.size() > 1) {
            files.add(writer.write(CheckpointIndex.KEY, index(shards).toJsonBytes()));
        }
        RewriteReport report = RewriteReports.of(jobId, source, sourceStore.location().toString(),
                target.location().toString(), executed, shards, counter.stats());
        for (Map.Entry<String, byte[]> file : ReportFiles.of(report).entrySet()) {
            files.add(writer.write(file.getKey(), file.getValue()));
        }
        writer.removeOthers(files.stream().map(ManifestEntry::path).collect(Collectors.toSet()));
        Manifest manifest = new Manifest(Manifest.SCHEMA_VERSION, jobId, sourceStore.location().toString(), files);
        writer.write(Manifest.FILE_NAME, ReportFiles.json(manifest));
        target.publish();
        return new RewriteResult(manifest, report, counter.stats(), false);
    }

    private static Set<String> generated() {
        Set<String> generated = new HashSet<>(ReportFiles.NAMES);
        generated.add(Manifest.FILE_NAME);
        return Set.copyOf(generated);
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
}
