package io.reapomni.common.rewrite;

import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.checkpoint.CheckpointIndex;
import io.reapomni.common.plan.ConfigEdits;
import io.reapomni.common.plan.PlanJson;
import io.reapomni.common.plan.PlanException;
import io.reapomni.common.plan.PlanValidator;
import io.reapomni.common.plan.PruningPlan;
import io.reapomni.common.plan.TensorMapping;
import io.reapomni.common.checkpoint.CheckpointException;
import io.reapomni.common.report.ReportFigures;
import io.reapomni.common.safetensors.SafetensorsFormatException;
import io.reapomni.common.storage.Interruptions;
import io.reapomni.common.storage.NoSuchObjectException;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.Segment;
import io.reapomni.common.storage.StoreLocation;

import java.io.EOFException;
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
 * staging area, which is published only when complete; the source is only read.
 * <p>
 * When a rewrite fails, what happens to the staging area depends on whether another run of the same job could use it:
 * <ul>
 *   <li>final: the request is refused (the plan, the model or the output location; a source file missing or shorter
 *       than its header says, i.e. the model changed under the job). What the job wrote is deleted: the staging area
 *       and its marker.</li>
 *   <li>resumable: anything else (storage or network failures that outlasted their retries, a full disk, the process
 *       stopping or its thread interrupted, an {@code Error}, a bug), when the staging area holds a file to keep or
 *       the process is stopping (a failure with nothing to keep is handled like a final one). The staging area keeps every finished file, and
 *       the next run of the job (same id, same request) verifies them by SHA-256 and writes only the rest. Such a
 *       failure is a {@link ResumableRewriteException} ({@link RewriteStoppedException} for a stop); an unchecked one
 *       is thrown as it is. Staging areas that no job comes back for are removed by {@link StagingSweeper}.</li>
 * </ul>
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
        requireOutside(output, sourceStore.location());
        PlanValidator.validate(plan, source);
    }

    /**
     * Refuses an output that lies inside its model or holds it (real paths compared: no symbolic link leads around
     * it), for every way a job is started, the ones that never open the model in this process included.
     */
    public static void requireOutside(StoreLocation output, StoreLocation model) {
        if (output.overlaps(model)) {
            throw new IllegalArgumentException("output " + output + " overlaps the model at " + model
                    + ": write the pruned model somewhere outside its source");
        }
    }

    /** The claim that job {@code jobId} executing {@code plan} on this model makes on its output. */
    public JobClaim claim(String jobId, PruningPlan plan) {
        return JobClaim.of(jobId, sourceStore.location(), plan);
    }

    public RewriteResult rewrite(PruningPlan plan, OutputTarget target, RewriteListener listener)
            throws PlanException, IOException {
        return rewrite(plan, target, listener, StopSignal.NEVER);
    }

    /**
     * Writes the output of {@code plan} into {@code target}, opened for {@link #claim this plan's claim}, or returns
     * the output that an earlier run of the same job published. Files that an interrupted run of the job left complete
     * and correct are kept (see {@link StagingWriter}); a failure deletes or keeps the staging area as the class
     * comment says. {@code stop} is asked between files.
     */
    public RewriteResult rewrite(PruningPlan plan, OutputTarget target, RewriteListener listener, StopSignal stop)
            throws PlanException, IOException {
        JobClaim claim = claim(target.claim().jobId(), plan);
        if (!claim.equals(target.claim())) {
            throw new IllegalArgumentException("output " + target.location() + " was opened for another request of job "
                    + claim.jobId() + " than this plan on this model");
        }
        if (target instanceof OutputTarget.Published published) {
            check(plan, target.location());
            return published.result();
        }
        OutputTarget.Writable writable = (OutputTarget.Writable) target;
        RewriteCounter counter = new RewriteCounter(listener);
        try {
            check(plan, target.location());
            return write(plan, writable, claim, counter, stop);
        } catch (PlanException | IOException | IllegalArgumentException e) {
            // A stop is always reported as one (the caller leaves the job for its next run), even with nothing kept.
            if (isFinal(e) || (!Interruptions.causedBy(e) && nothingToKeep(writable))) {
                discard(writable, e);
                throw e;
            }
            throw resumable(e, claim, writable, counter);
        }
    }

    /** Whether the staging area holds no file (but its marker): then a failure leaves nothing behind. */
    private static boolean nothingToKeep(OutputTarget.Writable target) {
        try {
            return target.staging().list().stream().allMatch(object -> object.key().equals(JobMarker.KEY));
        } catch (IOException unreadable) {
            return false; // the store is failing: keep what may be there
        }
    }

    /** A refusal, or the model changed under the job: nothing a later run could build on. */
    private static boolean isFinal(Exception failure) {
        return failure instanceof PlanException || failure instanceof CheckpointException
                || failure instanceof SafetensorsFormatException || failure instanceof OutputExistsException
                || failure instanceof IllegalArgumentException || failure instanceof NoSuchObjectException
                || failure instanceof EOFException;
    }

    private static void discard(OutputTarget.Writable target, Exception failure) {
        try {
            target.discard();
        } catch (IOException cleanup) {
            failure.addSuppressed(cleanup);
        }
    }

    private static ResumableRewriteException resumable(Exception failure, JobClaim claim, OutputTarget.Writable target,
                                                       RewriteCounter counter) {
        StoreLocation staging = target.staging().location();
        if (Interruptions.causedBy(failure)) {
            return new RewriteStoppedException(claim.jobId(), staging, counter.filesDone(), failure);
        }
        if (failure instanceof ResumableRewriteException already) {
            return already;
        }
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        return new ResumableRewriteException(message, claim.jobId(), staging, counter.filesDone(), failure);
    }

    private RewriteResult write(PruningPlan plan, OutputTarget.Writable target, JobClaim claim, RewriteCounter counter,
                                StopSignal stop) throws PlanException, IOException {
        ConfigEdits edits = ConfigEdits.derive(source.config(), plan);
        PruningPlan executed = plan.withConfigEdits(edits.edits());
        List<ShardPlan> shards = RewriteLayout.of(source, TensorMapping.of(source.tensorInfos(), executed));
        List<String> copied = source.otherFiles().stream().filter(key -> !GENERATED.contains(key)).toList();
        // config, index, manifest, the report's JSON and Markdown, and its figures
        int generatedFiles = 5 + ReportFigures.files(RewriteReport.scoringEvidence(PlanJson.toTree(executed)),
                Optional.empty()).size();
        long planned = plannedBytes(shards, copied);
        counter.started(shards.size() + copied.size() + generatedFiles, planned);
        StagingWriter writer = StagingWriter.over(target.staging(), counter, stop);
        target.requireSpace(Math.max(0, planned - writer.bytesPresent()));
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
        RewriteReport report = RewriteReports.of(claim.jobId(), source, sourceStore.location().toString(),
                target.location().toString(), executed, shards, counter.stats());
        for (Map.Entry<String, byte[]> file : ReportFiles.of(report).entrySet()) {
            files.add(writer.write(file.getKey(), file.getValue()));
        }
        writer.removeOthers(files.stream().map(ManifestEntry::path).collect(Collectors.toSet()));
        Manifest manifest = new Manifest(Manifest.SCHEMA_VERSION, claim.jobId(), claim.fingerprint(),
                sourceStore.location().toString(), files);
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
