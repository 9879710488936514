package io.reapomni.scoring;

import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.events.JobPlanned;
import io.reapomni.common.job.CalibrationSettings;
import io.reapomni.common.job.Modality;
import io.reapomni.common.job.PlanChoices;
import io.reapomni.common.job.PruneRequest;
import io.reapomni.common.job.SaliencyNormalization;
import io.reapomni.common.plan.PlanException;
import io.reapomni.common.plan.Strip;
import io.reapomni.common.storage.LocalObjectStore;
import io.reapomni.common.storage.StoreLocation;
import io.reapomni.testfixtures.TinyQwen3Omni;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;

/** Planned jobs for the fixture model, as the strip service publishes them. */
final class FixturePlans {

    static final Path MODEL = TinyQwen3Omni.model();

    private FixturePlans() {
    }

    /**
     * Strip vision and keep half the experts of every layer by audio affinity, from the model at {@code modelPath}
     * (the fixture, copied there), in {@code calibrationTasks} tasks.
     */
    static JobPlanned calibrated(String jobId, String modelPath, int calibrationTasks) throws IOException, PlanException {
        PlanChoices choices = new PlanChoices(Set.of(Strip.VISION), MoeStack.THINKER, List.of(), new TreeMap<>(),
                List.of(), Optional.empty());
        CalibrationSettings settings = new CalibrationSettings(Map.of(Modality.AUDIO, "s3://data/audio.jsonl"), 8,
                OptionalDouble.of(0.5), 1.0, 1.0, 0.9, 0, 1, 1, 1, SaliencyNormalization.REAP);
        PruneRequest request = new PruneRequest(StoreLocation.parse(modelPath),
                StoreLocation.parse("s3://models/pruned"), choices, Optional.of(settings));
        try (LocalObjectStore store = new LocalObjectStore(MODEL)) {
            return JobPlanned.of(jobId, request, choices.plan(Checkpoint.open(store)).plan(), calibrationTasks);
        }
    }

    /** Strip vision, keep experts 0, 2, 4, 6 in every layer, drop layer 4. */
    static JobPlanned planned(String jobId, int calibrationTasks) throws IOException, PlanException {
        PlanChoices choices = new PlanChoices(Set.of(Strip.VISION), MoeStack.THINKER, List.of(0, 2, 4, 6),
                new TreeMap<>(), List.of(4), Optional.empty());
        PruneRequest request = new PruneRequest(StoreLocation.parse(MODEL.toString()),
                StoreLocation.parse("s3://models/pruned"), choices, Optional.empty());
        try (LocalObjectStore store = new LocalObjectStore(MODEL)) {
            return JobPlanned.of(jobId, request, choices.plan(Checkpoint.open(store)).plan(), calibrationTasks);
        }
    }
}
