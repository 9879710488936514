package io.reapomni.common.plan;

import io.reapomni.common.checkpoint.Checkpoint;

/**
 * A plan checked against the checkpoint it is executed on, with the config edits it implies: what
 * {@link io.reapomni.common.rewrite.CheckpointRewriter} executes. Only {@link PlanValidator#validate} makes one, so a
 * plan is checked once where it is made or received, and everything after that step trusts it.
 * <p>
 * {@link #plan()} carries the derived edits as its {@code configEdits} (a plan that gave none has them filled in; one
 * that gave others was refused as stale), so the plan that is published, claimed and reported is the one executed.
 */
public final class ValidatedPlan {
    private final PruningPlan plan;
    private final ConfigEdits configEdits;
    private final Checkpoint checkpoint;

    ValidatedPlan(PruningPlan plan, ConfigEdits configEdits, Checkpoint checkpoint) {
        this.plan = plan.withConfigEdits(configEdits.edits());
        this.configEdits = configEdits;
        this.checkpoint = checkpoint;
    }

    /** The plan as it is executed, its config edits included. */
    public PruningPlan plan() {
        return plan;
    }

    /** The config.json changes the plan implies, and the edited config. */
    public ConfigEdits configEdits() {
        return configEdits;
    }

    /** The checkpoint the plan was checked against (config, shard headers, inventory), which it is executed on. */
    public Checkpoint checkpoint() {
        return checkpoint;
    }
}
