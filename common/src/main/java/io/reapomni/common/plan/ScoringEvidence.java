package io.reapomni.common.plan;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reapomni.common.job.SaliencyNormalization;
import io.reapomni.common.json.StrictJson;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Why a calibrated plan keeps what it keeps: the scores of every expert, the similarity of every block of layers and
 * the calibration data they were measured on. It travels in the plan's {@code evidence} under {@value #KEY}, so that
 * the report and {@code reap-omni scores} can show it and a person reviewing a written plan can check it.
 *
 * @param stack           the decoder stack that was scored
 * @param calibrationData what each modality's calibration contributed
 * @param experts         the expert scores, when experts were scored
 * @param layers          the layer similarities, when layers were scored
 */
public record ScoringEvidence(String stack, List<ModalityData> calibrationData, Optional<ExpertScores> experts,
                             Optional<LayerScores> layers) {

    public static final String KEY = "scoring";

    public ScoringEvidence {
        calibrationData = List.copyOf(calibrationData);
    }

    /** The samples and tokens of one modality that counted, and the samples that did not, with why. */
    public record ModalityData(String modality, long samples, long tokens, List<SkippedSample> skipped) {
        public ModalityData {
            skipped = List.copyOf(skipped);
        }
    }

    public record SkippedSample(String id, String reason) {
    }

    /**
     * @param affinity     the affinity formula as it applied to this data (it reduces to S1 without mixed data)
     * @param keptPerLayer round(retentionRate · experts per layer)
     * @param layers       every scored MoE layer (the kept layers), ascending
     */
    public record ExpertScores(SaliencyNormalization saliencyNormalization, double lambda, double beta,
                               double retentionRate, int keptPerLayer, String affinity, List<LayerExperts> layers) {
        public ExpertScores {
            layers = List.copyOf(layers);
        }
    }

    /** The scores of every expert of one layer, by expert id. */
    public record LayerExperts(int layer, List<ExpertScore> experts) {
        public LayerExperts {
            experts = List.copyOf(experts);
        }
    }

    /** S1, S2, S3: saliency on audio, video and mixed data; A: the audio affinity experts are ranked by. */
    public record ExpertScore(int expert, double s1, double s2, double s3, double affinity, boolean kept) {
    }

    /**
     * @param measuredOn  the modality whose hidden states were compared
     * @param blockSize   layers per block (layers-to-skip)
     * @param blocks      every block [first, first + blockSize) the statistics measured, by first layer
     * @param droppedLayers the layers of the chosen blocks, ascending
     */
    public record LayerScores(String measuredOn, int blockSize, double threshold, int maxLayers, int protectFirst,
                              int protectLast, List<BlockScore> blocks, List<Integer> droppedLayers) {
        public LayerScores {
            blocks = List.copyOf(blocks);
            droppedLayers = List.copyOf(droppedLayers);
        }
    }

    /** Layers {@code firstLayer..lastLayer} (inclusive) and the mean cosine between their input and output. */
    public record BlockScore(int firstLayer, int lastLayer, double meanCosine, BlockStatus status) {
    }

    /** What became of a block of layers. */
    public enum BlockStatus {
        /** Dropped. */
        CHOSEN,
        /** Similar enough, but it overlaps a more similar chosen block. */
        OVERLAPS_CHOSEN,
        /** Similar enough, but dropping it would exceed max-layers. */
        OVER_MAX_LAYERS,
        /** Its mean cosine is below the threshold. */
        BELOW_THRESHOLD,
        /** It touches a protected first or last layer. */
        PROTECTED;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        @JsonCreator
        public static BlockStatus parse(String id) {
            return valueOf(id.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    /** The plan evidence that carries this: {@code {"scoring": {...}}}. */
    public ObjectNode toPlanEvidence() {
        ObjectNode evidence = StrictJson.MAPPER.createObjectNode();
        evidence.set(KEY, StrictJson.MAPPER.valueToTree(this));
        return evidence;
    }

    /**
     * The scoring evidence in a plan's evidence; empty for a plan that was not scored (listed experts and layers).
     *
     * @throws IllegalArgumentException when the evidence is there but not readable (a hand-edited plan)
     */
    public static Optional<ScoringEvidence> fromPlanEvidence(JsonNode evidence) {
        JsonNode scoring = evidence.path(KEY);
        if (scoring.isMissingNode()) {
            return Optional.empty();
        }
        try {
            return Optional.of(StrictJson.MAPPER.treeToValue(scoring, ScoringEvidence.class));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the plan's evidence." + KEY + " is not readable: "
                    + e.getOriginalMessage(), e);
        }
    }
}
