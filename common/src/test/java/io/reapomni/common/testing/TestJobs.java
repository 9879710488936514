package io.reapomni.common.testing;

import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.checkpoint.TestCheckpoints;
import io.reapomni.common.events.JobPlanned;
import io.reapomni.common.job.CalibrationSettings;
import io.reapomni.common.job.EvaluationSettings;
import io.reapomni.common.job.Modality;
import io.reapomni.common.job.PlanChoices;
import io.reapomni.common.job.PruneRequest;
import io.reapomni.common.job.SaliencyNormalization;
import io.reapomni.common.plan.PlanException;
import io.reapomni.common.plan.PruningPlan;
import io.reapomni.common.plan.Strip;
import io.reapomni.common.storage.StoreLocation;
import io.reapomni.testfixtures.TinyQwen3Omni;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;

/**
 * The jobs that every module's tests build, in one kit (common's test-jar): pruning choices, calibration settings,
 * requests, and the planned jobs the strip service makes of them on the tiny fixture. A test names the job it runs;
 * how a request is spelled lives here.
 */
public final class TestJobs {

    /** Where the planned jobs of this kit write, unless a test names an output. */
    public static final String OUTPUT = "s3://models/pruned";

    private TestJobs() {
    }

    /** Choices on the thinker: what to strip, the experts kept in every MoE layer (all when empty), layers dropped. */
    public static PlanChoices choices(Set<Strip> strip, List<Integer> keepExperts, List<Integer> pruneLayers) {
        return new PlanChoices(strip, MoeStack.THINKER, keepExperts, new TreeMap<>(), pruneLayers, Optional.empty());
    }

    /** {@code --strip-vision} with the experts kept in every MoE layer (all when empty) and the layers dropped. */
    public static PlanChoices stripVision(List<Integer> keepExperts, List<Integer> pruneLayers) {
        return choices(Set.of(Strip.VISION), keepExperts, pruneLayers);
    }

    /** {@code --strip-vision} alone: the thinker stays as it was, what a calibrated job starts from. */
    public static PlanChoices stripVision() {
        return stripVision(List.of(), List.of());
    }

    /** {@code --strip-vision --keep-experts 0,2,5,7 --prune-layers 1 4}: the README's example on the fixture. */
    public static PlanChoices readmeExample() {
        return stripVision(List.of(0, 2, 5, 7), List.of(1, 4));
    }

    /**
     * Calibration on {@code dataFiles}, at most {@code samplesPerModality} samples of each: half the experts of every
     * layer kept by audio affinity with REAP's normalization, layers not scored, the defaults otherwise, no evaluation.
     */
    public static CalibrationSettings halfTheExperts(Map<Modality, String> dataFiles, int samplesPerModality) {
        return new CalibrationSettings(dataFiles, samplesPerModality, OptionalDouble.of(0.5),
                CalibrationSettings.DEFAULT_LAMBDA, CalibrationSettings.DEFAULT_BETA,
                CalibrationSettings.DEFAULT_SIMILARITY_THRESHOLD, 0, CalibrationSettings.DEFAULT_PROTECT_FIRST,
                CalibrationSettings.DEFAULT_PROTECT_LAST, CalibrationSettings.DEFAULT_LAYERS_TO_SKIP,
                SaliencyNormalization.REAP, EvaluationSettings.OFF);
    }

    /** {@link #halfTheExperts(Map, int)} on one audio file. */
    public static CalibrationSettings halfTheExperts(String audioFile, int samples) {
        return halfTheExperts(Map.of(Modality.AUDIO, audioFile), samples);
    }

    /** A request to prune {@code model} into {@code output}, both as a user types them. */
    public static PruneRequest request(String model, String output, PlanChoices choices,
                                       Optional<CalibrationSettings> calibration) {
        return new PruneRequest(StoreLocation.parse(model), StoreLocation.parse(output), choices, calibration);
    }

    /** A small valid planned job (an empty plan), for the tests of the messaging, to which its content is no matter. */
    public static JobPlanned planned(String jobId) {
        return JobPlanned.of(jobId, request("/models/in", "/models/out", choices(Set.of(), List.of(), List.of(3)),
                Optional.empty()), PruningPlan.empty(), 0);
    }

    /** The README's example on the fixture, planned without calibration: its static plan is the whole plan. */
    public static JobPlanned plannedExample(String jobId) throws IOException, PlanException {
        return planned(jobId, request(TinyQwen3Omni.model().toString(), OUTPUT, readmeExample(), Optional.empty()), 0);
    }

    /**
     * A calibrated job on the fixture at {@code modelPath} (where a test copied it): vision stripped, half the experts
     * to be kept by audio affinity over 8 samples of {@code s3://data/audio.jsonl}, in {@code calibrationTasks} tasks.
     */
    public static JobPlanned plannedCalibration(String jobId, String modelPath, int calibrationTasks)
            throws IOException, PlanException {
        return planned(jobId, request(modelPath, OUTPUT, stripVision(),
                Optional.of(halfTheExperts("s3://data/audio.jsonl", 8))), calibrationTasks);
    }

    /** {@code request} planned as the strip service plans it, its choices checked against the fixture. */
    public static JobPlanned planned(String jobId, PruneRequest request, int calibrationTasks)
            throws IOException, PlanException {
        Checkpoint fixture = TestCheckpoints.fixture();
        return JobPlanned.of(jobId, request, request.choices().plan(fixture).plan(), calibrationTasks);
    }
}
