package io.reapomni.common.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reapomni.common.checkpoint.MoeStack;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What to cut out of a checkpoint, as a document a person can read and edit (see {@link PlanJson} for the JSON).
 * Stacks absent from {@code experts} and {@code layers} are left as they are.
 *
 * @param strip       modalities removed whole
 * @param experts     per expert-pruned stack: old layer id of every kept MoE layer → kept expert ids, ascending
 *                    (the new expert order)
 * @param layers      per layer-pruned stack: the kept layer ids, ascending (the new layer order)
 * @param configEdits JSON pointer into config.json → the value the plan gives it
 * @param evidence    free-form data (scores, similarities) carried to the report; empty when there is none
 */
@JsonSerialize(using = PlanJson.Serializer.class)
@JsonDeserialize(using = PlanJson.Deserializer.class)
public record PruningPlan(Set<Strip> strip,
                          Map<MoeStack, SortedMap<Integer, List<Integer>>> experts,
                          Map<MoeStack, List<Integer>> layers,
                          SortedMap<String, JsonNode> configEdits,
                          ObjectNode evidence) {
    public static final int SCHEMA_VERSION = 1;

    public PruningPlan {
        strip = strip.isEmpty() ? Collections.unmodifiableSet(EnumSet.noneOf(Strip.class))
                : Collections.unmodifiableSet(EnumSet.copyOf(strip));
        Map<MoeStack, SortedMap<Integer, List<Integer>>> expertsCopy = new EnumMap<>(MoeStack.class);
        experts.forEach((stack, perLayer) -> {
            SortedMap<Integer, List<Integer>> layerCopy = new TreeMap<>();
            perLayer.forEach((layer, ids) -> layerCopy.put(layer, List.copyOf(ids)));
            expertsCopy.put(stack, Collections.unmodifiableSortedMap(layerCopy));
        });
        experts = Collections.unmodifiableMap(expertsCopy);
        Map<MoeStack, List<Integer>> layersCopy = new EnumMap<>(MoeStack.class);
        layers.forEach((stack, kept) -> layersCopy.put(stack, List.copyOf(kept)));
        layers = Collections.unmodifiableMap(layersCopy);
        configEdits = deepCopy(configEdits);
        evidence = evidence.deepCopy();
    }

    /** A plan that strips nothing and prunes nothing, to build on with the {@code with...} methods. */
    public static PruningPlan empty() {
        return new PruningPlan(Set.of(), Map.of(), Map.of(), new TreeMap<>(), JsonNodeFactory.instance.objectNode());
    }

    public PruningPlan withStrip(Set<Strip> newStrip) {
        return new PruningPlan(newStrip, experts, layers, configEdits, evidence);
    }

    public PruningPlan withExperts(Map<MoeStack, SortedMap<Integer, List<Integer>>> newExperts) {
        return new PruningPlan(strip, newExperts, layers, configEdits, evidence);
    }

    public PruningPlan withLayers(Map<MoeStack, List<Integer>> newLayers) {
        return new PruningPlan(strip, experts, newLayers, configEdits, evidence);
    }

    public PruningPlan withConfigEdits(SortedMap<String, JsonNode> newConfigEdits) {
        return new PruningPlan(strip, experts, layers, newConfigEdits, evidence);
    }

    public PruningPlan withEvidence(ObjectNode newEvidence) {
        return new PruningPlan(strip, experts, layers, configEdits, newEvidence);
    }

    public boolean strips(Strip modality) {
        return strip.contains(modality);
    }

    /** Kept expert ids per kept MoE layer of {@code stack}, when its experts are pruned. */
    public Optional<SortedMap<Integer, List<Integer>>> expertsOf(MoeStack stack) {
        return Optional.ofNullable(experts.get(stack));
    }

    /** Kept layer ids of {@code stack}, when its layers are pruned. */
    public Optional<List<Integer>> keptLayersOf(MoeStack stack) {
        return Optional.ofNullable(layers.get(stack));
    }

    @Override
    public SortedMap<String, JsonNode> configEdits() {
        return deepCopy(configEdits);
    }

    @Override
    public ObjectNode evidence() {
        return evidence.deepCopy();
    }

    private static SortedMap<String, JsonNode> deepCopy(SortedMap<String, JsonNode> edits) {
        SortedMap<String, JsonNode> copy = new TreeMap<>();
        edits.forEach((pointer, value) -> copy.put(pointer, value.deepCopy()));
        return Collections.unmodifiableSortedMap(copy);
    }
}
