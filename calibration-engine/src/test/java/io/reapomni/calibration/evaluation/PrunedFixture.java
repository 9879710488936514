package io.reapomni.calibration.evaluation;

import io.reapomni.common.job.PlanChoices;
import io.reapomni.common.rewrite.TestModels;
import io.reapomni.common.testing.TestJobs;
import io.reapomni.testfixtures.TinyQwen3Omni;

import java.nio.file.Path;

/** Pruned versions of the tiny fixture, written by the project's own rewriter as {@code prune} writes them. */
final class PrunedFixture {
    private PrunedFixture() {
    }

    /**
     * The README's example and the model of {@code evaluation-reference.json}: {@code --strip-vision --keep-experts
     * 0,2,5,7 --prune-layers 1 4}.
     */
    static Path readmeExample(Path output) throws Exception {
        return write(TestJobs.readmeExample(), output);
    }

    /** {@code --strip-vision} alone: the thinker is left as it was. */
    static Path stripOnly(Path output) throws Exception {
        return write(TestJobs.stripVision(), output);
    }

    private static Path write(PlanChoices choices, Path output) throws Exception {
        TestModels.prune(TinyQwen3Omni.model(), choices, output, "evaluation-test");
        return output;
    }
}
