package io.reapomni.scoring.stats;

import com.fasterxml.jackson.databind.JsonNode;
import io.reapomni.common.job.Modality;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads the statistics document that calibration workers publish:
 * <pre>
 * {"modalities": {"audio": {"samples", "tokens", "skipped": [{"id", "reason"}],
 *                           "experts": [{"layer", "saliency_sum": [E], "routed_count": [E], ...}],
 *                           "cosine": [{"layer", "offset", "sum", "tokens"}]}, ...}}
 * </pre>
 * Strict about what scoring uses (a missing or mistyped field is named with its path), silent about the rest
 * ({@code gate_weight_sum}), so that the engine can report more than scoring reads.
 */
public final class StatisticsDocument {
    private StatisticsDocument() {
    }

    public static CalibrationStatistics read(JsonNode document) throws StatisticsFormatException {
        JsonNode modalities = object(document.path("modalities"), "modalities");
        Map<Modality, ModalityStatistics> read = new EnumMap<>(Modality.class);
        for (Iterator<Map.Entry<String, JsonNode>> fields = modalities.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            Modality modality;
            try {
                modality = Modality.parse(field.getKey());
            } catch (IllegalArgumentException e) {
                throw new StatisticsFormatException("modalities." + field.getKey() + ": " + e.getMessage());
            }
            read.put(modality, modality(field.getValue(), "modalities." + field.getKey()));
        }
        return new CalibrationStatistics(read);
    }

    private static ModalityStatistics modality(JsonNode node, String path) throws StatisticsFormatException {
        object(node, path);
        List<SkippedSample> skipped = new ArrayList<>();
        JsonNode skippedNode = array(node.path("skipped"), path + ".skipped");
        for (int i = 0; i < skippedNode.size(); i++) {
            JsonNode sample = skippedNode.get(i);
            String where = path + ".skipped[" + i + "]";
            skipped.add(new SkippedSample(text(sample.path("id"), where + ".id"),
                    text(sample.path("reason"), where + ".reason")));
        }
        SortedMap<Integer, ExpertSums> experts = new TreeMap<>();
        JsonNode expertsNode = array(node.path("experts"), path + ".experts");
        for (int i = 0; i < expertsNode.size(); i++) {
            ExpertSums sums = experts(expertsNode.get(i), path + ".experts[" + i + "]");
            if (experts.putIfAbsent(sums.layer(), sums) != null) {
                throw new StatisticsFormatException(path + ".experts: layer " + sums.layer() + " is listed twice");
            }
        }
        SortedMap<Integer, SortedMap<Integer, CosineSum>> cosine = new TreeMap<>();
        JsonNode cosineNode = array(node.path("cosine"), path + ".cosine");
        for (int i = 0; i < cosineNode.size(); i++) {
            JsonNode entry = cosineNode.get(i);
            String where = path + ".cosine[" + i + "]";
            CosineSum sum = new CosineSum(integer(entry.path("layer"), where + ".layer"),
                    integer(entry.path("offset"), where + ".offset"), number(entry.path("sum"), where + ".sum"),
                    count(entry.path("tokens"), where + ".tokens"));
            if (cosine.computeIfAbsent(sum.layer(), layer -> new TreeMap<>()).putIfAbsent(sum.offset(), sum) != null) {
                throw new StatisticsFormatException(where + ": layer " + sum.layer() + " offset " + sum.offset()
                        + " is listed twice");
            }
        }
        return new ModalityStatistics(count(node.path("samples"), path + ".samples"),
                count(node.path("tokens"), path + ".tokens"), skipped, experts, cosine);
    }

    private static ExpertSums experts(JsonNode node, String path) throws StatisticsFormatException {
        JsonNode saliencyNode = array(node.path("saliency_sum"), path + ".saliency_sum");
        JsonNode countNode = array(node.path("routed_count"), path + ".routed_count");
        if (saliencyNode.size() != countNode.size()) {
            throw new StatisticsFormatException(path + ": " + saliencyNode.size() + " saliency sums but "
                    + countNode.size() + " routed counts");
        }
        double[] saliency = new double[saliencyNode.size()];
        long[] counts = new long[countNode.size()];
        for (int e = 0; e < saliency.length; e++) {
            saliency[e] = number(saliencyNode.get(e), path + ".saliency_sum[" + e + "]");
            counts[e] = count(countNode.get(e), path + ".routed_count[" + e + "]");
        }
        return new ExpertSums(integer(node.path("layer"), path + ".layer"), saliency, counts);
    }

    private static JsonNode object(JsonNode node, String path) throws StatisticsFormatException {
        if (!node.isObject()) {
            throw new StatisticsFormatException(path + " must be an object");
        }
        return node;
    }

    private static JsonNode array(JsonNode node, String path) throws StatisticsFormatException {
        if (!node.isArray()) {
            throw new StatisticsFormatException(path + " must be an array");
        }
        return node;
    }

    private static String text(JsonNode node, String path) throws StatisticsFormatException {
        if (!node.isTextual()) {
            throw new StatisticsFormatException(path + " must be a string");
        }
        return node.asText();
    }

    private static double number(JsonNode node, String path) throws StatisticsFormatException {
        if (!node.isNumber() || !Double.isFinite(node.asDouble())) {
            throw new StatisticsFormatException(path + " must be a finite number");
        }
        return node.asDouble();
    }

    private static int integer(JsonNode node, String path) throws StatisticsFormatException {
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < 0) {
            throw new StatisticsFormatException(path + " must be a whole number >= 0");
        }
        return node.asInt();
    }

    private static long count(JsonNode node, String path) throws StatisticsFormatException {
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 0) {
            throw new StatisticsFormatException(path + " must be a whole number >= 0");
        }
        return node.asLong();
    }
}
