package io.reapomni.common.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a calibrated job scores experts and layers (DESIGN.md, Scoring). Validated on construction, so that a bad
 * number (a retention rate of 1.7) is refused where the user typed it, not deep inside a job.
 *
 * @param dataFiles          calibration JSONL per modality (audio is required)
 * @param samplesPerModality at most this many samples of each file are used
 * @param retentionRate      fraction of experts kept per layer, in (0, 1]; empty: experts are not scored
 * @param lambda             weight of the mixed-data term of the audio affinity
 * @param beta               weight of the video saliency inside that term
 * @param maxLayers          at most this many decoder layers are dropped; 0: layers are not scored
 * @param saliencyNormalization what an expert's summed saliency is divided by
 * @param evaluation         how the written model is evaluated on audio samples held out of calibration
 */
public record CalibrationSettings(
        Map<Modality, String> dataFiles,
        int samplesPerModality,
        java.util.OptionalDouble retentionRate,
        double lambda,
        double beta,
        double similarityThreshold,
        int maxLayers,
        int protectFirst,
        int protectLast,
        int layersToSkip,
        SaliencyNormalization saliencyNormalization,
        EvaluationSettings evaluation) {

    public static final int DEFAULT_SAMPLES = 128;
    public static final double DEFAULT_LAMBDA = 1.0;
    public static final double DEFAULT_BETA = 1.0;
    public static final double DEFAULT_SIMILARITY_THRESHOLD = 0.9;
    public static final int DEFAULT_PROTECT_FIRST = 1;
    public static final int DEFAULT_PROTECT_LAST = 1;
    public static final int DEFAULT_LAYERS_TO_SKIP = 1;

    public CalibrationSettings {
        dataFiles = Map.copyOf(dataFiles);
        Objects.requireNonNull(saliencyNormalization, "saliencyNormalization");
        Objects.requireNonNull(evaluation, "evaluation");
        List<String> problems = new ArrayList<>();
        if (samplesPerModality < 1) {
            problems.add("--calibration-samples must be at least 1, got " + samplesPerModality);
        }
        retentionRate.ifPresent(rate -> {
            if (!(rate > 0 && rate <= 1)) {
                problems.add("--retention-rate must be in (0, 1], got " + rate);
            }
        });
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            problems.add("--lambda-weight must be a finite number >= 0, got " + lambda);
        }
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            problems.add("--beta-weight must be a finite number >= 0, got " + beta);
        }
        if (!(similarityThreshold >= -1 && similarityThreshold <= 1)) {
            problems.add("--similarity-threshold is a cosine, in [-1, 1], got " + similarityThreshold);
        }
        if (maxLayers < 0) {
            problems.add("--max-layers must be >= 0, got " + maxLayers);
        }
        if (protectFirst < 0 || protectLast < 0) {
            problems.add("--protect-first and --protect-last must be >= 0, got " + protectFirst + " and " + protectLast);
        }
        if (layersToSkip < 1) {
            problems.add("--layers-to-skip must be at least 1, got " + layersToSkip);
        }
        if ((retentionRate.isPresent() || maxLayers > 0) && !dataFiles.containsKey(Modality.AUDIO)) {
            problems.add("scoring experts (--retention-rate) or layers (--max-layers) needs audio calibration data (--audio-data)");
        }
        if (evaluation.enabled() && !dataFiles.containsKey(Modality.AUDIO)) {
            problems.add("evaluating the written model (--evaluate-samples) needs audio data (--audio-data), or"
                    + " give --evaluate-samples 0");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /** Settings without evaluation, for callers written before a job could evaluate its output. */
    public CalibrationSettings(Map<Modality, String> dataFiles, int samplesPerModality,
                               java.util.OptionalDouble retentionRate, double lambda, double beta,
                               double similarityThreshold, int maxLayers, int protectFirst, int protectLast,
                               int layersToSkip, SaliencyNormalization saliencyNormalization) {
        this(dataFiles, samplesPerModality, retentionRate, lambda, beta, similarityThreshold, maxLayers, protectFirst,
                protectLast, layersToSkip, saliencyNormalization, EvaluationSettings.OFF);
    }

    /** The same settings reading their data from {@code files} (the same files where the services can reach them). */
    public CalibrationSettings withDataFiles(Map<Modality, String> files) {
        if (!files.keySet().equals(dataFiles.keySet())) {
            throw new IllegalArgumentException("the data files of modalities " + dataFiles.keySet()
                    + " cannot be replaced by files of " + files.keySet());
        }
        return new CalibrationSettings(files, samplesPerModality, retentionRate, lambda, beta, similarityThreshold,
                maxLayers, protectFirst, protectLast, layersToSkip, saliencyNormalization, evaluation);
    }

    /** Whether the job evaluates its written model on held-out audio samples. */
    public boolean evaluates() {
        return evaluation.enabled();
    }

    /** Whether the job scores anything, and so needs calibration statistics. */
    public boolean scoresExpertsOrLayers() {
        return retentionRate.isPresent() || maxLayers > 0;
    }
}
