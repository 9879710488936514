package io.reapomni.common.checkpoint;

import java.util.OptionalInt;

/**
 * A tensor of one decoder layer of the thinker or talker stack, as {@link Qwen3OmniLayout#classify} finds it.
 *
 * @param expert the routed expert id, present exactly when {@code kind} is {@link LayerTensorKind#EXPERT}
 * @param rest   the name after {@code layers.N.}, or for an expert after {@code mlp.experts.E.}
 */
public record LayerTensor(MoeStack stack, int layer, LayerTensorKind kind, OptionalInt expert, String rest) {

    public LayerTensor {
        if (layer < 0) {
            throw new IllegalArgumentException("layer must not be negative: " + layer);
        }
        if (expert.isPresent() != (kind == LayerTensorKind.EXPERT)) {
            throw new IllegalArgumentException("an expert id goes with an expert tensor and only with one");
        }
    }

    /** The name of this tensor moved to another layer (and, for an expert, another expert id). */
    public String renamed(int newLayer, OptionalInt newExpert) {
        return Qwen3OmniLayout.renamed(this, newLayer, newExpert);
    }

    /** The name of this tensor moved to another layer; an expert keeps its id. */
    public String renamed(int newLayer) {
        return renamed(newLayer, expert);
    }
}
