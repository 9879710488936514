package io.reapomni.common.rewrite;

import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.plan.PlanException;
import io.reapomni.common.plan.Strip;
import io.reapomni.common.plan.ValidatedPlan;
import io.reapomni.common.report.ReportFigures;
import io.reapomni.common.storage.LocalObjectStore;
import io.reapomni.common.storage.ObjectInfo;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.testing.TestJobs;
import io.reapomni.testfixtures.TinyQwen3Omni;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The tiny fixture, a plan that uses all three kinds of surgery on it, and what a written output holds: shared with
 * the other modules' tests (common's test-jar), which compare their outputs with a direct rewrite.
 */
public final class RewriteFixture {
    /**
     * The files whose content depends on the run (timings, job id, output location, the evaluation), not only on the
     * plan.
     */
    public static final Set<String> RUN_SPECIFIC = Set.of(RewriteReport.JSON_FILE, RewriteReport.MARKDOWN_FILE,
            Manifest.FILE_NAME, ReportFigures.QUALITY);

    private RewriteFixture() {
    }

    public static LocalObjectStore source() {
        return new LocalObjectStore(TinyQwen3Omni.model());
    }

    /** Vision and talker stripped, 4 of 8 experts kept, 2 of 6 thinker layers dropped. */
    public static ValidatedPlan plan(Checkpoint checkpoint) throws PlanException {
        return TestJobs.choices(Set.of(Strip.VISION, Strip.TALKER), List.of(0, 2, 5, 7), List.of(1, 4))
                .plan(checkpoint);
    }

    /** Every file of an output but the run-specific ones, by key. */
    public static Map<String, byte[]> modelFiles(ObjectStore output) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        for (ObjectInfo object : output.list()) {
            if (!RUN_SPECIFIC.contains(object.key())) {
                files.put(object.key(), output.readAll(object.key(), object.size()));
            }
        }
        return files;
    }

}
