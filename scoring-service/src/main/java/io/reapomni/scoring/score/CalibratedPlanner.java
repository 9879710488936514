package io.reapomni.scoring.score;

import io.reapomni.common.calibration.CalibrationStats;
import io.reapomni.common.calibration.CosineStats;
import io.reapomni.common.calibration.ExpertLayerStats;
import io.reapomni.common.calibration.ModalityStats;
import io.reapomni.common.calibration.SkippedSample;
import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.checkpoint.CheckpointException;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.checkpoint.StackConfig;
import io.reapomni.common.job.CalibrationSettings;
import io.reapomni.common.job.Modality;
import io.reapomni.common.job.PruneRequest;
import io.reapomni.common.plan.ExpertChoice;
import io.reapomni.common.plan.PlanBuilder;
import io.reapomni.common.plan.PlanDraft;
import io.reapomni.common.plan.PlanException;
import io.reapomni.common.plan.PruningPlan;
import io.reapomni.common.plan.ScoringEvidence.BlockScore;
import io.reapomni.common.plan.ScoringEvidence.ExpertScore;
import io.reapomni.common.plan.ScoringEvidence.LayerExperts;
import io.reapomni.common.plan.ScoringEvidence;
import io.reapomni.common.plan.ValidatedPlan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The final plan of a calibrated job: the static plan's strips and listed experts or layers, plus the layers and
 * experts chosen from the job's merged statistics, with the scores as evidence, validated against the model it was
 * scored on. Layers are chosen first, so that experts are scored only in the layers that stay.
 *
 * <p>Layer similarity is measured on the audio data alone: DESIGN.md drops layers that barely change what flows
 * through them on the audio calibration data, and mixed data would let the video half of its tokens decide which
 * layers an audio model may lose.
 */
public final class CalibratedPlanner {
    /** The modality the layer similarity is measured on. */
    static final Modality SIMILARITY_DATA = Modality.AUDIO;
    private static final int SKIPPED_REASONS_SHOWN = 3;

    private CalibratedPlanner() {
    }

    public static ValidatedPlan plan(Checkpoint checkpoint, PruneRequest request, PruningPlan staticPlan,
                                   CalibrationStats statistics) throws ScoringException {
        CalibrationSettings settings = request.calibration().orElseThrow(() -> new ScoringException(
                "the job waits for calibration statistics but its request has no calibration settings"));
        MoeStack stack = request.choices().component();
        if (stack != MoeStack.THINKER) {
            throw new ScoringException("calibration measures the thinker, so only the thinker's experts and layers"
                    + " can be scored; the request names --component " + stack.id());
        }
        StackConfig config = stackConfig(checkpoint, stack);
        ModalityStats audio = statistics.withSamples(Modality.AUDIO)
                .orElseThrow(() -> new ScoringException(noAudio(statistics)));

        Optional<ScoringEvidence.LayerScores> layerScores = settings.maxLayers() > 0
                ? Optional.of(layerScores(audio, config, settings)) : Optional.empty();
        List<Integer> dropLayers = layerScores.map(ScoringEvidence.LayerScores::droppedLayers)
                .orElse(listedDrops(staticPlan, stack, config));
        List<Integer> keptMoeLayers = IntStream.range(0, config.numHiddenLayers())
                .filter(layer -> !dropLayers.contains(layer) && config.isMoeLayer(layer)).boxed().toList();

        Optional<ScoringEvidence.ExpertScores> expertScores = settings.retentionRate().isPresent()
                ? Optional.of(expertScores(statistics, audio, config, keptMoeLayers, settings)) : Optional.empty();
        Optional<ExpertChoice> experts = expertScores.isPresent()
                ? Optional.of(keptExperts(expertScores.get()))
                : staticPlan.expertsOf(stack).map(ExpertChoice.PerLayer::new);

        ScoringEvidence evidence = new ScoringEvidence(stack.id(), calibrationData(statistics), expertScores,
                layerScores);
        try {
            return PlanBuilder.build(checkpoint, new PlanDraft(staticPlan.strip(), stack, experts, dropLayers,
                    evidence.toPlanEvidence()));
        } catch (PlanException e) {
            throw new ScoringException("the scored plan does not fit the model: " + e.getMessage() + " ("
                    + String.join("; ", e.problems()) + ")");
        }
    }

    private static ScoringEvidence.LayerScores layerScores(ModalityStats audio, StackConfig config,
                                                           CalibrationSettings settings) throws ScoringException {
        int blockSize = settings.layersToSkip();
        int layers = config.numHiddenLayers();
        SortedMap<Integer, Double> meanCosine = new TreeMap<>();
        for (int block = 0; block + blockSize <= layers; block++) {
            int first = block;
            CosineStats sum = audio.cosine(first, blockSize).orElseThrow(() -> new ScoringException(
                    "the audio statistics lack the mean cosine of block [" + first + ", " + (first + blockSize)
                            + "); calibrate again with the same --layers-to-skip"));
            meanCosine.put(first, sum.tokens() == 0 ? 0 : sum.sum() / sum.tokens());
        }
        BlockRule rule = new BlockRule(blockSize, settings.similarityThreshold(), settings.maxLayers(),
                settings.protectFirst(), settings.protectLast());
        List<BlockScore> blocks = LayerBlocks.choose(layers, meanCosine, rule);
        return new ScoringEvidence.LayerScores(SIMILARITY_DATA.id(), blockSize, rule.threshold(), rule.maxLayers(),
                rule.protectFirst(), rule.protectLast(), blocks, LayerBlocks.droppedLayers(blocks));
    }

    private static ScoringEvidence.ExpertScores expertScores(CalibrationStats statistics, ModalityStats audio,
                                                             StackConfig config, List<Integer> keptMoeLayers,
                                                             CalibrationSettings settings) throws ScoringException {
        double retention = settings.retentionRate().getAsDouble();
        int kept = ExpertSelection.keptCount(retention, config.numExperts());
        if (kept < config.numExpertsPerTok()) {
            throw new ScoringException("--retention-rate " + retention + " keeps " + kept + " of "
                    + config.numExperts() + " experts per layer, fewer than the " + config.numExpertsPerTok()
                    + " (num_experts_per_tok) the router picks for every token: use a retention of at least "
                    + minimumRetention(config));
        }
        Optional<ModalityStats> video = statistics.withSamples(Modality.VIDEO);
        Optional<ModalityStats> mixed = statistics.withSamples(Modality.MIXED);
        AudioAffinity affinity = new AudioAffinity(settings.lambda(), settings.beta());
        List<LayerExperts> layers = new ArrayList<>();
        for (int layer : keptMoeLayers) {
            double[] s1 = saliency(Optional.of(audio), Modality.AUDIO, layer, config, settings);
            double[] s2 = saliency(video, Modality.VIDEO, layer, config, settings);
            double[] s3 = saliency(mixed, Modality.MIXED, layer, config, settings);
            double[] a = new double[s1.length];
            for (int e = 0; e < a.length; e++) {
                a[e] = affinity.of(s1[e], s2[e], s3[e]);
            }
            List<Integer> top = ExpertSelection.top(a, kept);
            layers.add(new LayerExperts(layer, IntStream.range(0, a.length)
                    .mapToObj(e -> new ExpertScore(e, s1[e], s2[e], s3[e], a[e], top.contains(e))).toList()));
        }
        return new ScoringEvidence.ExpertScores(settings.saliencyNormalization(), settings.lambda(), settings.beta(),
                retention, kept, affinityFormula(video.isPresent(), mixed.isPresent()), layers);
    }

    /** The smallest retention that keeps num_experts_per_tok experts, given that K = round(retention · E). */
    private static String minimumRetention(StackConfig config) {
        return String.format(java.util.Locale.ROOT, "%.4f",
                (config.numExpertsPerTok() - 0.5) / config.numExperts());
    }

    /** A modality without samples contributes no saliency: 0 for every expert. */
    private static double[] saliency(Optional<ModalityStats> data, Modality modality, int layer,
                                     StackConfig config, CalibrationSettings settings) throws ScoringException {
        if (data.isEmpty()) {
            return new double[config.numExperts()];
        }
        ExpertLayerStats sums = data.get().expertsOf(layer).orElseThrow(() -> new ScoringException("the " + modality.id()
                + " statistics have no expert sums for MoE layer " + layer + " of the model"));
        if (sums.numExperts() != config.numExperts()) {
            throw new ScoringException("the " + modality.id() + " statistics of layer " + layer + " have "
                    + sums.numExperts() + " experts, the model " + config.numExperts()
                    + ": they were measured on another model");
        }
        return Saliency.of(sums, data.get().tokens(), settings.saliencyNormalization());
    }

    private static String affinityFormula(boolean video, boolean mixed) {
        if (!mixed) {
            return "A = S1 (no mixed data, so λ·ReLU(S3 − β·S2) is 0)";
        }
        return video ? "A = S1 + λ·ReLU(S3 − β·S2)" : "A = S1 + λ·ReLU(S3 − β·S2) with S2 = 0 (no video data)";
    }

    private static ExpertChoice keptExperts(ScoringEvidence.ExpertScores scores) {
        SortedMap<Integer, List<Integer>> perLayer = new TreeMap<>();
        scores.layers().forEach(layer -> perLayer.put(layer.layer(), layer.experts().stream()
                .filter(ExpertScore::kept).map(ExpertScore::expert).toList()));
        return new ExpertChoice.PerLayer(perLayer);
    }

    private static List<Integer> listedDrops(PruningPlan staticPlan, MoeStack stack, StackConfig config) {
        return staticPlan.keptLayersOf(stack)
                .map(kept -> IntStream.range(0, config.numHiddenLayers()).filter(layer -> !kept.contains(layer))
                        .boxed().toList())
                .orElse(List.of());
    }

    private static List<ScoringEvidence.ModalityData> calibrationData(CalibrationStats statistics) {
        // in the order of Modality, S1 to S3, as the evidence always listed them
        return Arrays.stream(Modality.values())
                .flatMap(modality -> statistics.modality(modality).stream()
                        .map(stats -> new ScoringEvidence.ModalityData(modality.id(), stats.samples(), stats.tokens(),
                                stats.skipped().stream().map(sample ->
                                        new ScoringEvidence.SkippedSample(sample.id(), sample.reason())).toList())))
                .toList();
    }

    private static String noAudio(CalibrationStats statistics) {
        List<SkippedSample> skipped = statistics.modality(Modality.AUDIO).map(ModalityStats::skipped)
                .orElse(List.of());
        if (skipped.isEmpty()) {
            return "no usable audio sample: the calibration reported no audio statistics; check --audio-data";
        }
        return "no usable audio sample: all " + skipped.size() + " audio samples were skipped ("
                + skipped.stream().limit(SKIPPED_REASONS_SHOWN).map(sample -> sample.id() + ": " + sample.reason())
                .collect(Collectors.joining("; "))
                + (skipped.size() > SKIPPED_REASONS_SHOWN ? "; ..." : "") + ")";
    }

    private static StackConfig stackConfig(Checkpoint checkpoint, MoeStack stack) throws ScoringException {
        try {
            return checkpoint.config().stack(stack);
        } catch (CheckpointException e) {
            throw new ScoringException("the model's " + stack.id() + " config is unusable: " + e.getMessage());
        }
    }
}
