package io.reapomni.common.checkpoint;

/** What a tensor of a decoder layer is, as far as expert and layer pruning care. */
public enum LayerTensorKind {
    /** One projection of one routed expert: {@code mlp.experts.E.{gate,up,down}_proj.weight}. */
    EXPERT,
    /** The router {@code mlp.gate.weight}, one row per expert. */
    ROUTER,
    /** The talker's always-active {@code mlp.shared_expert.*} and {@code mlp.shared_expert_gate.*}. */
    SHARED_EXPERT,
    /**
     * Anything else under {@code mlp.experts.}: experts stored in another layout than one tensor per expert and
     * projection (such as transformers' fused {@code gate_up_proj}), which expert pruning cannot slice.
     */
    FUSED_EXPERTS,
    /** Attention, norms, dense MLP: renamed with its layer, never touched by expert pruning. */
    OTHER
}
