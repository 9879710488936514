package io.reapomni.common.checkpoint;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * A checkpoint tensor name, classified: its component and, for a tensor of a thinker or talker decoder layer, which
 * stack, layer and (for routed experts) expert it belongs to.
 *
 * @param layerTensor present for names of the form {@code thinker.model.layers.N.*} or {@code talker.model.layers.N.*}
 */
public record TensorName(String name, Component component, Optional<LayerTensor> layerTensor) {

    public static TensorName parse(String name) {
        Component component = Component.of(name);
        for (MoeStack stack : MoeStack.values()) {
            if (name.startsWith(stack.layerPrefix())) {
                String afterPrefix = name.substring(stack.layerPrefix().length());
                int dot = afterPrefix.indexOf('.');
                OptionalInt layer = dot < 0 ? OptionalInt.empty() : DecimalIndex.parse(afterPrefix.substring(0, dot));
                if (layer.isPresent()) {
                    return new TensorName(name, component,
                            Optional.of(LayerTensor.parse(stack, layer.getAsInt(), afterPrefix.substring(dot + 1))));
                }
            }
        }
        return new TensorName(name, component, Optional.empty());
    }

    /** Whether the name starts like a decoder layer of {@code stack} but has no layer number where one belongs. */
    public boolean malformedLayerOf(MoeStack stack) {
        return name.startsWith(stack.layerPrefix())
                && layerTensor.map(tensor -> tensor.stack() != stack).orElse(true);
    }
}
