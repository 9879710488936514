package io.reapomni.common.rewrite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.plan.ExpertChoice;
import io.reapomni.common.plan.PlanBuilder;
import io.reapomni.common.plan.PlanDraft;
import io.reapomni.common.plan.PruningPlan;
import io.reapomni.common.storage.LocalObjectStore;
import io.reapomni.common.storage.StoreLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The rewrite of every fixture example, byte for byte: the SHA-256 of each model file (the report's files, which name
 * the run, aside) and the plan the report says was executed, against {@code golden/fixture-rewrites.txt}, which the
 * code wrote before the plan was validated once (issue 11 part 2). A refactoring of the plan or the rewriter must leave
 * every line as it is.
 */
class GoldenRewriteTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyFixtureExampleIsRewrittenAsBefore(@TempDir Path work) throws Exception {
        List<String> lines = new ArrayList<>();
        try (LocalObjectStore source = RewriteFixture.source()) {
            Checkpoint checkpoint = Checkpoint.open(source);
            for (Map.Entry<String, PruningPlan> example : examples(checkpoint).entrySet()) {
                Path output = work.resolve(example.getKey().replaceAll("[^a-z0-9]+", "-"));
                TestModels.rewrite(source, checkpoint, example.getValue(), new StoreLocation.Local(output),
                        TestModels::noS3, "golden");
                lines.add("## " + example.getKey());
                LocalObjectStore written = new LocalObjectStore(output);
                JsonNode report = JSON.readTree(written.readAll(RewriteReport.JSON_FILE, Integer.MAX_VALUE - 16));
                lines.add("executed plan " + report.get("plan"));
                RewriteFixture.modelFiles(written).forEach((key, bytes) -> {
                    if (!ReportFiles.NAMES.contains(key)) {
                        lines.add(key + " " + RewriteVerifier.sha256(bytes));
                    }
                });
            }
        }
        assertEquals(golden(), String.join("\n", lines) + "\n");
    }

    /** The README's cuts, experts of the talker, the three-surgery plan, and a saved plan that lacks its edits. */
    private static Map<String, PruningPlan> examples(Checkpoint checkpoint) throws Exception {
        Map<String, PruningPlan> examples = new LinkedHashMap<>();
        for (Cut cut : List.of(FixtureCuts.STRIP_VISION, FixtureCuts.STRIP_TALKER, FixtureCuts.KEEP_EVEN_EXPERTS,
                FixtureCuts.DROP_LAYERS, FixtureCuts.README_EXAMPLE, FixtureCuts.EVERYTHING)) {
            examples.put(cut.name(), PlanBuilder.build(checkpoint, cut.request()).plan());
        }
        examples.put("talker experts 1,5,9,127", PlanBuilder.build(checkpoint, new PlanDraft(Set.of(),
                MoeStack.TALKER, Optional.of(new ExpertChoice.SameForEveryLayer(List.of(1, 5, 9, 127))), List.of(),
                JsonNodeFactory.instance.objectNode())).plan());
        examples.put("strip vision and talker, keep experts 0,2,5,7, drop layers 1,4",
                RewriteFixture.plan(checkpoint).plan());
        examples.put("readme example saved without config edits",
                examples.get(FixtureCuts.README_EXAMPLE.name()).withConfigEdits(new TreeMap<>()));
        return examples;
    }

    private static String golden() throws IOException {
        try (InputStream in = GoldenRewriteTest.class.getResourceAsStream("/golden/fixture-rewrites.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
