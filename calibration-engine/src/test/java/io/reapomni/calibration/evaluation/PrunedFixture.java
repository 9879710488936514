package io.reapomni.calibration.evaluation;

import io.reapomni.calibration.TinyFixture;
import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.job.PlanChoices;
import io.reapomni.common.plan.Strip;
import io.reapomni.common.rewrite.TestModels;
import io.reapomni.common.storage.LocalObjectStore;
import io.reapomni.common.storage.StoreLocation;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Pruned versions of the tiny fixture, written by the project's own rewriter as {@code prune} writes them. */
final class PrunedFixture {
    private PrunedFixture() {
    }

    /**
     * The README's example and the model of {@code evaluation-reference.json}: {@code --strip-vision --keep-experts
     * 0,2,5,7 --prune-layers 1 4}.
     */
    static Path readmeExample(Path output) throws Exception {
        return write(new PlanChoices(Set.of(Strip.VISION), MoeStack.THINKER, List.of(0, 2, 5, 7), new TreeMap<>(),
                List.of(1, 4), Optional.empty()), output);
    }

    /** {@code --strip-vision} alone: the thinker is left as it was. */
    static Path stripOnly(Path output) throws Exception {
        return write(new PlanChoices(Set.of(Strip.VISION), MoeStack.THINKER, List.of(), new TreeMap<>(), List.of(),
                Optional.empty()), output);
    }

    private static Path write(PlanChoices choices, Path output) throws Exception {
        try (LocalObjectStore source = new LocalObjectStore(TinyFixture.modelDir())) {
            Checkpoint checkpoint = Checkpoint.open(source);
            TestModels.rewrite(source, checkpoint, choices.plan(checkpoint), new StoreLocation.Local(output),
                    TestModels::noS3, "evaluation-test");
        }
        return output;
    }
}
