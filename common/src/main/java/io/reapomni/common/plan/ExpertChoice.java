package io.reapomni.common.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.json.StrictJson;

import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.IntPredicate;

/** Which experts a user asked to keep: the same ids in every MoE layer, or a list per layer. */
public sealed interface ExpertChoice {

    /** The kept expert ids of each kept MoE layer, given the layers that the plan keeps. */
    SortedMap<Integer, List<Integer>> forKeptLayers(List<Integer> keptLayers, IntPredicate isMoeLayer);

    /** {@code --keep-experts 0,2,4,6}: these ids in every kept MoE layer. */
    record SameForEveryLayer(List<Integer> ids) implements ExpertChoice {
        public SameForEveryLayer {
            ids = List.copyOf(ids);
        }

        @Override
        public SortedMap<Integer, List<Integer>> forKeptLayers(List<Integer> keptLayers, IntPredicate isMoeLayer) {
            SortedMap<Integer, List<Integer>> perLayer = new TreeMap<>();
            keptLayers.stream().filter(isMoeLayer::test).forEach(layer -> perLayer.put(layer, ids));
            return perLayer;
        }
    }

    /** An expert plan file: old layer id → kept expert ids. */
    record PerLayer(SortedMap<Integer, List<Integer>> ids) implements ExpertChoice {
        public PerLayer {
            SortedMap<Integer, List<Integer>> copy = new TreeMap<>();
            ids.forEach((layer, kept) -> copy.put(layer, List.copyOf(kept)));
            ids = Collections.unmodifiableSortedMap(copy);
        }

        /** The file's entries for kept layers; it usually covers every layer, and dropped layers' entries are moot. */
        @Override
        public SortedMap<Integer, List<Integer>> forKeptLayers(List<Integer> keptLayers, IntPredicate isMoeLayer) {
            SortedMap<Integer, List<Integer>> perLayer = new TreeMap<>(ids);
            perLayer.keySet().retainAll(keptLayers);
            return perLayer;
        }

        /** Reads {@code {"<layer>": [ids], ...}}, with the same strictness as a plan's {@code experts} entry. */
        public static PerLayer read(byte[] json) throws PlanException {
            JsonNode root;
            try {
                root = StrictJson.DOCUMENTS.readTree(json);
            } catch (JsonProcessingException e) {
                throw new PlanException("the expert plan file is not valid JSON", List.of(StrictJson.describe(e)));
            } catch (IOException e) {
                throw new PlanException("the expert plan file is not readable", List.of(String.valueOf(e.getMessage())));
            }
            if (root == null || !root.isObject()) {
                throw new PlanException("the expert plan file is not readable",
                        List.of("it must be an object of layer id → expert ids"));
            }
            ObjectNode asPlan = StrictJson.MAPPER.createObjectNode();
            asPlan.put("schemaVersion", PruningPlan.SCHEMA_VERSION);
            asPlan.putObject("experts").set("thinker", root);
            // The file's stack is chosen by --component; "thinker" only carries it through the plan reader.
            return new PerLayer(PlanJson.fromTree(asPlan).experts().get(MoeStack.THINKER));
        }
    }
}
