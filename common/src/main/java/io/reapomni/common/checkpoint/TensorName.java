package io.reapomni.common.checkpoint;

import java.util.Optional;

/**
 * A checkpoint tensor name as {@link Qwen3OmniLayout#classify} reads it: its component and, for a tensor of a
 * thinker or talker decoder layer, which stack, layer and (for routed experts) expert it belongs to.
 *
 * @param layerTensor present for names of the form {@code thinker.model.layers.N.*} or {@code talker.model.layers.N.*}
 */
public record TensorName(String name, Component component, Optional<LayerTensor> layerTensor) {

    /** Whether the name starts like a decoder layer of {@code stack} but has no layer number where one belongs. */
    public boolean malformedLayerOf(MoeStack stack) {
        return Qwen3OmniLayout.underLayersOf(stack, name)
                && layerTensor.map(tensor -> tensor.stack() != stack).orElse(true);
    }
}
