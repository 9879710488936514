package io.reapomni.cli.options;

import io.reapomni.common.job.CalibrationSettings;
import io.reapomni.common.job.EvaluationSettings;
import io.reapomni.common.job.Modality;
import io.reapomni.common.job.SaliencyNormalization;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/** The flags of the calibrated method (REAP audio affinity, layer similarity); names follow the seed's scripts. */
public final class CalibrationFlags {
    @Mixin
    CalibrationDataFlags data;

    @Option(names = "--preset", paramLabel = "light|medium|aggressive", converter = Preset.Converter.class,
            description = {"A recommended configuration: light keeps 75%% of the experts and drops up to 4 layers,"
                    + " medium 50%% and 8, aggressive 25%% and 12. It sets --retention-rate and --max-layers where"
                    + " they are not given (given, they win); the other calibration flags apply as usual. With"
                    + " --keep-experts/--expert-plan or --prune-layers, give --retention-rate/--max-layers instead."})
    Preset preset;

    @Option(names = "--retention-rate", paramLabel = "R", description = "Fraction of experts kept per MoE layer, in (0, 1].")
    Double retentionRate;

    @Option(names = "--lambda-weight", paramLabel = "λ", defaultValue = "" + CalibrationSettings.DEFAULT_LAMBDA,
            description = "Weight of the mixed-data term of the audio affinity (default: ${DEFAULT-VALUE}).")
    double lambda;

    @Option(names = "--beta-weight", paramLabel = "β", defaultValue = "" + CalibrationSettings.DEFAULT_BETA,
            description = "Weight of video saliency inside that term (default: ${DEFAULT-VALUE}).")
    double beta;

    @Option(names = "--similarity-threshold", paramLabel = "COS",
            defaultValue = "" + CalibrationSettings.DEFAULT_SIMILARITY_THRESHOLD,
            description = "A block of layers whose input and output agree at least this much (mean cosine) may go (default: ${DEFAULT-VALUE}).")
    double similarityThreshold;

    @Option(names = "--max-layers", paramLabel = "N",
            description = "Drop at most this many decoder layers by similarity (default: none, or the preset's).")
    Integer maxLayers;

    @Option(names = "--protect-first", paramLabel = "N", defaultValue = "" + CalibrationSettings.DEFAULT_PROTECT_FIRST,
            description = "Never drop the first N layers (default: ${DEFAULT-VALUE}).")
    int protectFirst;

    @Option(names = "--protect-last", paramLabel = "N", defaultValue = "" + CalibrationSettings.DEFAULT_PROTECT_LAST,
            description = "Never drop the last N layers (default: ${DEFAULT-VALUE}).")
    int protectLast;

    @Option(names = "--layers-to-skip", paramLabel = "N", defaultValue = "" + CalibrationSettings.DEFAULT_LAYERS_TO_SKIP,
            description = "Size of a block of layers compared and dropped together (default: ${DEFAULT-VALUE}).")
    int layersToSkip;

    @Option(names = "--saliency-normalization", paramLabel = "reap|all-tokens", defaultValue = "reap",
            converter = SaliencyNormalizationConverter.class,
            description = "Divide an expert's summed saliency by its routed tokens (reap, REAP's mean) or by all tokens"
                    + " of the data set (all-tokens, the seed README's form) (default: ${DEFAULT-VALUE}).")
    SaliencyNormalization saliencyNormalization;

    @Option(names = "--evaluate-samples", paramLabel = "N",
            description = {"Hold out the last N samples of the audio data (at most half of them) from calibration"
                    + " and evaluate the written model against the original on them before the job completes:"
                    + " KL divergence, top-1 agreement, cross-entropy, greedy continuations (default: "
                    + EvaluationSettings.DEFAULT_SAMPLES + " with --audio-data; 0 turns it off; at most "
                    + EvaluationSettings.MAX_SAMPLES + ")."})
    Integer evaluateSamples;

    @Option(names = "--generate-tokens", paramLabel = "N", defaultValue = "" + EvaluationSettings.DEFAULT_GENERATE_TOKENS,
            description = "Greedy new tokens each model continues each held-out sample with (default:"
                    + " ${DEFAULT-VALUE}, at most " + EvaluationSettings.MAX_GENERATE_TOKENS + ").")
    int generateTokens;

    /** The calibrated part of the request, when any of its flags were given; validated. */
    public Optional<CalibrationSettings> settings() {
        Map<Modality, String> files = new EnumMap<>(Modality.class);
        data.files().forEach((modality, file) -> files.put(modality, file.toString()));
        int heldOut = evaluateSamples != null ? evaluateSamples
                : files.containsKey(Modality.AUDIO) ? EvaluationSettings.DEFAULT_SAMPLES : 0;
        CalibrationSettings settings = new CalibrationSettings(files, data.samples(), retention(), lambda, beta,
                similarityThreshold, layerLimit(), protectFirst, protectLast, layersToSkip, saliencyNormalization,
                new EvaluationSettings(heldOut, generateTokens));
        return settings.scoresExpertsOrLayers() || !files.isEmpty() ? Optional.of(settings) : Optional.empty();
    }

    private OptionalDouble retention() {
        if (retentionRate != null) {
            return OptionalDouble.of(retentionRate);
        }
        return preset == null ? OptionalDouble.empty() : OptionalDouble.of(preset.retentionRate());
    }

    private int layerLimit() {
        if (maxLayers != null) {
            return maxLayers;
        }
        return preset == null ? 0 : preset.maxLayers();
    }
}
