package io.reapomni.shardwriter;

import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.checkpoint.TestCheckpoints;
import io.reapomni.common.plan.PruningPlan;
import io.reapomni.common.rewrite.RewriteFixture;
import io.reapomni.common.rewrite.TestModels;
import io.reapomni.common.storage.LocalObjectStore;
import io.reapomni.common.storage.StoreLocation;
import io.reapomni.testfixtures.TinyQwen3Omni;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Plans for the tiny fixture, and the output of the direct rewrite to compare the service's output with. */
final class FixturePlans {
    private FixturePlans() {
    }

    /** Vision and talker stripped, 4 of 8 experts kept, thinker layers 1 and 4 of 6 dropped. */
    static PruningPlan stripExpertsAndLayers() throws Exception {
        return RewriteFixture.plan(TestCheckpoints.fixture()).plan();
    }

    /** Keeps a thinker layer the model does not have. */
    static PruningPlan keepingMissingLayer() {
        return PruningPlan.empty().withLayers(Map.of(MoeStack.THINKER, List.of(0, 1, 42)));
    }

    /** The model files (all but the run-specific ones) of the direct rewrite of {@code plan} into {@code folder}. */
    static Map<String, byte[]> directRewrite(PruningPlan plan, Path folder) throws Exception {
        return directRewrite(TinyQwen3Omni.model(), plan, folder);
    }

    /** The same for the model in {@code model}. */
    static Map<String, byte[]> directRewrite(Path model, PruningPlan plan, Path folder) throws Exception {
        try (LocalObjectStore source = new LocalObjectStore(model)) {
            TestModels.rewrite(source, Checkpoint.open(source), plan, new StoreLocation.Local(folder),
                    TestModels::noS3, "direct");
        }
        return RewriteFixture.modelFiles(new LocalObjectStore(folder));
    }
}
