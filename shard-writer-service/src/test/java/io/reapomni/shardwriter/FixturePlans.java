package io.reapomni.shardwriter;

import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.job.PlanChoices;
import io.reapomni.common.plan.PruningPlan;
import io.reapomni.common.plan.Strip;
import io.reapomni.common.report.ReportFigures;
import io.reapomni.common.rewrite.CheckpointRewriter;
import io.reapomni.common.rewrite.Manifest;
import io.reapomni.common.rewrite.OutputTarget;
import io.reapomni.common.rewrite.RewriteListener;
import io.reapomni.common.rewrite.RewriteReport;
import io.reapomni.common.storage.LocalObjectStore;
import io.reapomni.common.storage.ObjectInfo;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.StoreLocation;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** The tiny fixture, plans for it, and the output of the direct rewrite to compare the service's output with. */
final class FixturePlans {
    /** Files whose content depends on the run (job id, location, timings, evaluation), not only on the plan. */
    private static final Set<String> RUN_SPECIFIC = Set.of(RewriteReport.JSON_FILE, RewriteReport.MARKDOWN_FILE,
            Manifest.FILE_NAME, ReportFigures.QUALITY);

    private FixturePlans() {
    }

    static Path model() {
        return Path.of(System.getProperty("reap.fixtures"), "tiny-qwen3-omni", "model");
    }

    static Checkpoint checkpoint() throws Exception {
        try (LocalObjectStore store = new LocalObjectStore(model())) {
            return Checkpoint.open(store);
        }
    }

    /** Vision and talker stripped, 4 of 8 experts kept, thinker layers 1 and 4 of 6 dropped. */
    static PruningPlan stripExpertsAndLayers() throws Exception {
        return new PlanChoices(Set.of(Strip.VISION, Strip.TALKER), MoeStack.THINKER, List.of(0, 2, 5, 7),
                new TreeMap<>(), List.of(1, 4), Optional.empty()).plan(checkpoint());
    }

    /** Keeps a thinker layer the model does not have. */
    static PruningPlan keepingMissingLayer() {
        return PruningPlan.empty().withLayers(Map.of(MoeStack.THINKER, List.of(0, 1, 42)));
    }

    /** The model files (all but the run-specific ones) of the direct rewrite of {@code plan} into {@code folder}. */
    static Map<String, byte[]> directRewrite(PruningPlan plan, Path folder) throws Exception {
        return directRewrite(model(), plan, folder);
    }

    /** The same for the model in {@code model}. */
    static Map<String, byte[]> directRewrite(Path model, PruningPlan plan, Path folder) throws Exception {
        StoreLocation.Local output = new StoreLocation.Local(folder);
        try (LocalObjectStore source = new LocalObjectStore(model)) {
            CheckpointRewriter rewriter = new CheckpointRewriter(source, Checkpoint.open(source));
            try (OutputTarget target = OutputTarget.open(output, () -> {
                throw new IllegalStateException("local only");
            }, rewriter.claim("direct", plan))) {
                rewriter.rewrite(plan, target, RewriteListener.NONE);
            }
        }
        return modelFiles(new LocalObjectStore(folder));
    }

    static Map<String, byte[]> modelFiles(ObjectStore output) throws Exception {
        Map<String, byte[]> files = new TreeMap<>();
        for (ObjectInfo object : output.list()) {
            if (!RUN_SPECIFIC.contains(object.key())) {
                files.put(object.key(), output.readAll(object.key(), object.size()));
            }
        }
        return files;
    }
}
