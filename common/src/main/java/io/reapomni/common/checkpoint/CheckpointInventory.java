package io.reapomni.common.checkpoint;

import io.reapomni.common.safetensors.TensorInfo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * What a checkpoint holds, component by component and layer by layer, checked against its config: every decoder
 * stack that is present has layers 0..num_hidden_layers-1, and every MoE layer experts 0..E-1 and an E-row router.
 *
 * @param components parameters and bytes per component; components without tensors are absent
 * @param stacks     the decoder stacks that have layer tensors
 */
public record CheckpointInventory(Map<Component, ComponentSize> components, Map<MoeStack, StackInventory> stacks) {
    private static final int EXPERT_PROJECTIONS = Qwen3OmniLayout.Projection.values().length;

    public CheckpointInventory {
        components = Collections.unmodifiableMap(new EnumMap<>(components));
        stacks = stacks.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(stacks));
    }

    public boolean has(Component component) {
        return components.containsKey(component);
    }

    public ComponentSize total() {
        return components.values().stream()
                .reduce(ComponentSize.ZERO, ComponentSize::plus);
    }

    /** The inventory of {@code tensors}, or an exception that lists every way they disagree with {@code config}. */
    public static CheckpointInventory of(ModelConfig config, List<TensorInfo> tensors) throws CheckpointException {
        Map<Component, ComponentSize> components = new EnumMap<>(Component.class);
        Map<MoeStack, SortedMap<Integer, LayerBuilder>> layers = new EnumMap<>(MoeStack.class);
        List<String> problems = new ArrayList<>();
        for (TensorInfo tensor : tensors) {
            TensorName name = Qwen3OmniLayout.classify(tensor.name());
            components.merge(name.component(), new ComponentSize(tensor.elementCount(), tensor.byteLength()),
                    ComponentSize::plus);
            for (MoeStack stack : MoeStack.values()) {
                if (name.malformedLayerOf(stack)) {
                    problems.add("tensor " + tensor.name() + " is in the " + stack.id()
                            + " decoder stack but has no layer number where one belongs");
                }
            }
            name.layerTensor().ifPresent(layer -> layers
                    .computeIfAbsent(layer.stack(), stack -> new TreeMap<>())
                    .computeIfAbsent(layer.layer(), LayerBuilder::new)
                    .add(layer, tensor));
        }
        if (!layers.containsKey(MoeStack.THINKER)) {
            problems.add("unknown layout: no thinker decoder layers (" + Qwen3OmniLayout.layerPattern(MoeStack.THINKER)
                    + "); this is not a Qwen3-Omni checkpoint as transformers writes it");
        }
        Map<MoeStack, StackInventory> stacks = new EnumMap<>(MoeStack.class);
        for (var entry : layers.entrySet()) {
            StackConfig stackConfig = config.stack(entry.getKey());
            checkStack(stackConfig, entry.getValue(), problems);
            SortedMap<Integer, LayerInventory> built = new TreeMap<>();
            entry.getValue().forEach((id, builder) -> built.put(id, builder.build()));
            stacks.put(entry.getKey(), new StackInventory(entry.getKey(), built));
        }
        if (!problems.isEmpty()) {
            throw new CheckpointException(Problems.describe("the checkpoint's tensors disagree with its layout", problems));
        }
        return new CheckpointInventory(components, stacks);
    }

    private static void checkStack(StackConfig config, SortedMap<Integer, LayerBuilder> layers, List<String> problems) {
        String stack = config.stack().id();
        List<Integer> expected = IntStream.range(0, config.numHiddenLayers()).boxed().toList();
        if (!new ArrayList<>(layers.keySet()).equals(expected)) {
            problems.add(stack + " has layers " + layers.keySet() + " but " + config.path()
                    + "/num_hidden_layers is " + config.numHiddenLayers());
        }
        List<Integer> allExperts = IntStream.range(0, config.numExperts()).boxed().toList();
        for (LayerBuilder layer : layers.values()) {
            String where = stack + " layer " + layer.id;
            if (!config.isMoeLayer(layer.id)) {
                if (!layer.projections.isEmpty() || layer.fused || layer.routerShape.isPresent()) {
                    problems.add(where + " has experts or a router, but the config makes it a dense layer");
                }
                continue;
            }
            if (layer.fused) {
                continue; // the fused layout holds all experts in one tensor: there are no ids to check
            }
            if (!new ArrayList<>(layer.projections.keySet()).equals(allExperts)) {
                problems.add(where + " has experts " + layer.projections.keySet() + " but " + config.path() + "/"
                        + config.numExpertsKey() + " is " + config.numExperts() + " (expected 0.." + (config.numExperts() - 1) + ")");
            }
            List<Integer> incomplete = layer.projections.entrySet().stream()
                    .filter(e -> e.getValue() != EXPERT_PROJECTIONS).map(Map.Entry::getKey).toList();
            if (!incomplete.isEmpty()) {
                problems.add(where + ": experts " + incomplete + " lack one of gate_proj, up_proj, down_proj");
            }
            if (layer.routerShape.isEmpty()) {
                problems.add(where + " has experts but no router (mlp.gate.weight)");
            } else if (layer.routerShape.get().isEmpty() || layer.routerShape.get().get(0) != config.numExperts()) {
                problems.add(where + ": router mlp.gate.weight has shape " + layer.routerShape.get()
                        + ", expected " + config.numExperts() + " rows");
            }
        }
    }

    private static final class LayerBuilder {
        private final int id;
        private final Map<Integer, Integer> projections = new HashMap<>();
        private boolean fused;
        private Optional<List<Long>> routerShape = Optional.empty();

        LayerBuilder(int id) {
            this.id = id;
        }

        void add(LayerTensor tensor, TensorInfo info) {
            switch (tensor.kind()) {
                case EXPERT -> projections.merge(tensor.expert().getAsInt(), 1, Integer::sum);
                case FUSED_EXPERTS -> fused = true;
                case ROUTER -> routerShape = Optional.of(info.shape());
                case SHARED_EXPERT, OTHER -> {
                }
            }
        }

        LayerInventory build() {
            return new LayerInventory(id, new TreeSet<>(projections.keySet()), fused, routerShape);
        }
    }
}
