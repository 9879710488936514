package io.reapomni.common.checkpoint;

import java.util.OptionalInt;

/**
 * A tensor of one decoder layer of the thinker or talker stack.
 *
 * @param expert the routed expert id, present exactly when {@code kind} is {@link LayerTensorKind#EXPERT}
 * @param rest   the name after {@code layers.N.}, or for an expert after {@code mlp.experts.E.}
 */
public record LayerTensor(MoeStack stack, int layer, LayerTensorKind kind, OptionalInt expert, String rest) {
    private static final String EXPERTS = "mlp.experts.";

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
        if (newExpert.isPresent() != expert.isPresent()) {
            throw new IllegalArgumentException("an expert tensor needs a new expert id, any other tensor none");
        }
        String layerPart = stack.layerPrefix() + newLayer + ".";
        return newExpert.isPresent()
                ? layerPart + EXPERTS + newExpert.getAsInt() + "." + rest
                : layerPart + rest;
    }

    /** The name of this tensor moved to another layer; an expert keeps its id. */
    public String renamed(int newLayer) {
        return renamed(newLayer, expert);
    }

    static LayerTensor parse(MoeStack stack, int layer, String rest) {
        if (rest.equals("mlp.gate.weight")) {
            return new LayerTensor(stack, layer, LayerTensorKind.ROUTER, OptionalInt.empty(), rest);
        }
        if (rest.startsWith("mlp.shared_expert.") || rest.startsWith("mlp.shared_expert_gate.")) {
            return new LayerTensor(stack, layer, LayerTensorKind.SHARED_EXPERT, OptionalInt.empty(), rest);
        }
        if (!rest.startsWith(EXPERTS)) {
            return new LayerTensor(stack, layer, LayerTensorKind.OTHER, OptionalInt.empty(), rest);
        }
        String afterExperts = rest.substring(EXPERTS.length());
        int dot = afterExperts.indexOf('.');
        String projection = dot < 0 ? "" : afterExperts.substring(dot + 1);
        OptionalInt expert = dot < 0 ? OptionalInt.empty() : DecimalIndex.parse(afterExperts.substring(0, dot));
        boolean perExpert = expert.isPresent() && (projection.equals("gate_proj.weight")
                || projection.equals("up_proj.weight") || projection.equals("down_proj.weight"));
        return perExpert
                ? new LayerTensor(stack, layer, LayerTensorKind.EXPERT, expert, projection)
                : new LayerTensor(stack, layer, LayerTensorKind.FUSED_EXPERTS, OptionalInt.empty(), rest);
    }
}
