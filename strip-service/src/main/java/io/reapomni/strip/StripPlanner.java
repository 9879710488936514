package io.reapomni.strip;

import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.checkpoint.CheckpointException;
import io.reapomni.common.events.CalibrationTask;
import io.reapomni.common.events.JobPhase;
import io.reapomni.common.events.JobPlanned;
import io.reapomni.common.events.JobProgress;
import io.reapomni.common.events.PruneRequested;
import io.reapomni.common.job.CalibrationSettings;
import io.reapomni.common.job.HeldOutSamples;
import io.reapomni.common.job.Modality;
import io.reapomni.common.job.PruneRequest;
import io.reapomni.common.plan.PlanException;
import io.reapomni.common.plan.PruningPlan;
import io.reapomni.common.rewrite.CheckpointRewriter;
import io.reapomni.common.storage.LocalLocationRefusedException;
import io.reapomni.common.storage.NoSuchObjectException;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.StoreAccess;
import io.reapomni.common.storage.StoreLocation;
import io.reapomni.service.JobRejectedException;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The first step of a job: checks a request against the model it names (layout, config, index, shard headers; no
 * tensor data is read) and builds the static plan: strips, listed experts and listed layers; a calibrated request is
 * also split into calibration tasks. Every way a request can be wrong ends in a {@link JobRejectedException} whose
 * message tells the user what to change.
 */
public final class StripPlanner {

    private final StoreAccess stores;
    private final CalibrationFanOut fanOut;

    /**
     * {@code stores} opens what a request names (S3, or local folders under the service's local roots);
     * {@code fanOut} splits calibrated jobs into tasks.
     */
    public StripPlanner(StoreAccess stores, CalibrationFanOut fanOut) {
        this.stores = stores;
        this.fanOut = fanOut;
    }

    public PlannedJob plan(PruneRequested requested) throws JobRejectedException {
        PruneRequest request = requested.request();
        StoreLocation model = location("model", request.modelPath());
        Optional<StoreLocation> output = request.hasOutput()
                ? Optional.of(location("output", request.outputPath())) : Optional.empty();
        if (output.isPresent()) {
            requireWritable(output.get());
        }
        PruningPlan plan = staticPlan(request, model, output);
        Optional<HeldOutSamples.Split> split = heldOut(request);
        Map<Modality, Integer> limits = split.map(audio -> Map.of(Modality.AUDIO, audio.calibrationSamples()))
                .orElse(Map.of());
        List<CalibrationTask> tasks = request.needsCalibration()
                ? fanOut.tasks(requested.jobId(), request.modelPath(), request.calibration().orElseThrow(), limits)
                : List.of();
        long samples = tasks.stream().mapToLong(CalibrationTask::sampleCount).sum();
        String detail = tasks.isEmpty() ? "no calibration needed"
                : tasks.size() + " calibration tasks over " + samples + " samples";
        Optional<HeldOutSamples> evaluation = request.dryRun() ? Optional.empty()
                : split.flatMap(HeldOutSamples.Split::heldOut).map(range -> new HeldOutSamples(
                        request.calibration().orElseThrow().dataFiles().get(Modality.AUDIO), range.first(),
                        range.count(), request.calibration().orElseThrow().evaluation().generateTokens()));
        if (split.isPresent()) {
            detail += split.get().heldOut().map(range -> "; audio " + range + " held out of calibration"
                            + (request.dryRun() ? "" : " to evaluate the written model"))
                    .orElse("; no audio sample held out for evaluation: the audio data has too few");
        }
        return new PlannedJob(tasks,
                JobPlanned.of(requested.jobId(), request, plan, tasks.size(), evaluation),
                JobProgress.of(requested.jobId(), JobPhase.PLANNING, 1, 1, "steps",
                        "the request fits the model at " + model + "; " + detail));
    }

    /**
     * For a job that evaluates its output: how the audio file splits into the samples calibration runs and those held
     * out ({@link HeldOutSamples#split}). A dry run splits the same way, so that its scored plan is the one the job
     * would make.
     */
    private Optional<HeldOutSamples.Split> heldOut(PruneRequest request) throws JobRejectedException {
        Optional<CalibrationSettings> settings = request.calibration().filter(CalibrationSettings::evaluates);
        if (settings.isEmpty()) {
            return Optional.empty();
        }
        int total = fanOut.countSamples(Modality.AUDIO, settings.get().dataFiles().get(Modality.AUDIO),
                Integer.MAX_VALUE);
        return Optional.of(HeldOutSamples.split(total, settings.get().samplesPerModality(),
                settings.get().evaluation()));
    }

    /** @param output where the model goes, checked that it can take it; empty for a dry run that writes nothing */
    private PruningPlan staticPlan(PruneRequest request, StoreLocation model, Optional<StoreLocation> output)
            throws JobRejectedException {
        try (ObjectStore store = open(model)) {
            Checkpoint checkpoint = Checkpoint.open(store);
            PruningPlan plan = request.choices().plan(checkpoint);
            if (output.isPresent()) {
                new CheckpointRewriter(store, checkpoint).check(plan, output.get());
            }
            return plan;
        } catch (NoSuchObjectException e) {
            throw new JobRejectedException("the model at " + model + " is missing a file: " + e.getMessage(), e);
        } catch (CheckpointException e) {
            throw new JobRejectedException("the model at " + model + " is not a Qwen3-Omni checkpoint that reap-omni"
                    + " can prune: " + e.getMessage(), e);
        } catch (PlanException e) {
            throw new JobRejectedException("the request does not fit the model at " + model + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new JobRejectedException(e.getMessage(), e);
        } catch (IOException e) {
            throw new JobRejectedException("the model at " + model + " could not be read (" + e.getMessage()
                    + "): check that the store is reachable and the path is right", e);
        }
    }

    private void requireWritable(StoreLocation output) throws JobRejectedException {
        try {
            stores.requireWritable(output);
        } catch (LocalLocationRefusedException e) {
            throw new JobRejectedException(e.getMessage(), e);
        }
    }

    private ObjectStore open(StoreLocation location) throws JobRejectedException {
        try {
            return stores.openForReading(location);
        } catch (LocalLocationRefusedException e) {
            throw new JobRejectedException(e.getMessage(), e);
        } catch (IllegalStateException e) {
            throw new JobRejectedException("the strip service cannot open " + location + ": " + e.getMessage(), e);
        }
    }

    private static StoreLocation location(String what, String text) throws JobRejectedException {
        try {
            return StoreLocation.parse(text);
        } catch (IllegalArgumentException e) {
            throw new JobRejectedException("the " + what + " path is not usable: " + e.getMessage(), e);
        }
    }
}
