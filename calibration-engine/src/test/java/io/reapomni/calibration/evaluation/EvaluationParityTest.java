package io.reapomni.calibration.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reapomni.calibration.TestDevice;
import io.reapomni.calibration.TinyFixture;
import io.reapomni.common.evaluation.QualityReport;
import io.reapomni.common.evaluation.SampleQuality;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code evaluate} on the fixture against the README's example output, compared with transformers' values in
 * {@code evaluation-reference.json}: KL and cross-entropies within 1e-4 relative, top-1 agreement and the generated
 * tokens exact.
 */
class EvaluationParityTest {
    private static final double RELATIVE_TOLERANCE = 1e-4;

    @TempDir
    static Path folder;

    private static JsonNode reference;
    private static QualityReport report;

    @BeforeAll
    static void evaluate() throws Exception {
        reference = new ObjectMapper().readTree(TinyFixture.root().resolve("evaluation-reference.json").toFile())
                .path("samples");
        Path pruned = PrunedFixture.readmeExample(folder.resolve("pruned"));
        Path data = ReferenceInputs.write(folder.resolve("data"));
        report = ReferenceInputs.evaluate(TinyFixture.modelDir(), pruned, data, 2,
                new EvaluationOptions(8, TestDevice.float32()));
    }

    @Test
    void everyReferenceSampleIsEvaluated() {
        assertThat(report.skipped()).isEmpty();
        assertThat(report.samples()).extracting(SampleQuality::id).containsExactly("text", "audio");
    }

    @Test
    void positionsAndTextPositionsAreTransformers() {
        for (SampleQuality sample : report.samples()) {
            JsonNode expected = reference.path(sample.id());
            assertThat(sample.positions()).as(sample.id()).isEqualTo(expected.path("positions").asInt());
            assertThat(sample.textPositions()).as(sample.id()).isEqualTo(expected.path("text_positions").asInt());
        }
    }

    @Test
    void klAndCrossEntropiesMatchWithinTolerance() {
        for (SampleQuality sample : report.samples()) {
            JsonNode expected = reference.path(sample.id());
            System.out.printf("%s: kl_mean %.9g (transformers %.9g), kl_max %.9g (%.9g), ce %.9g -> %.9g"
                            + " (%.9g -> %.9g)%n", sample.id(), sample.klMean(), expected.path("kl_mean").asDouble(),
                    sample.klMax(), expected.path("kl_max").asDouble(), sample.ceOriginal().orElseThrow(),
                    sample.cePruned().orElseThrow(), expected.path("ce_original").asDouble(),
                    expected.path("ce_pruned").asDouble());
            assertRelative(sample.id() + " kl_mean", sample.klMean(), expected.path("kl_mean").asDouble());
            assertRelative(sample.id() + " kl_max", sample.klMax(), expected.path("kl_max").asDouble());
            assertRelative(sample.id() + " ce_original", sample.ceOriginal().orElseThrow(),
                    expected.path("ce_original").asDouble());
            assertRelative(sample.id() + " ce_pruned", sample.cePruned().orElseThrow(),
                    expected.path("ce_pruned").asDouble());
        }
    }

    @Test
    void top1AgreementIsExact() {
        for (SampleQuality sample : report.samples()) {
            double expected = reference.path(sample.id()).path("top1_agreement").asDouble();
            // transformers stored the fraction in float32: compare the counts of agreeing positions
            assertThat(Math.round(sample.top1Agreement() * sample.positions()))
                    .as(sample.id()).isEqualTo(Math.round(expected * sample.positions()));
        }
    }

    @Test
    void greedyContinuationsAreTransformers() {
        for (SampleQuality sample : report.samples()) {
            JsonNode expected = reference.path(sample.id());
            assertThat(sample.generatedOriginal().tokenIds()).as(sample.id() + " original")
                    .containsExactlyElementsOf(ids(expected.path("generated_original")));
            assertThat(sample.generatedPruned().tokenIds()).as(sample.id() + " pruned")
                    .containsExactlyElementsOf(ids(expected.path("generated_pruned")));
        }
    }

    @Test
    void averagesAreTokenWeighted() {
        SampleQuality text = report.samples().get(0);
        SampleQuality audio = report.samples().get(1);
        var average = report.average().orElseThrow();
        assertThat(average.positions()).isEqualTo(23 + 30);
        assertThat(average.klMean()).isCloseTo((23 * text.klMean() + 30 * audio.klMean()) / 53, within(1e-12));
        assertThat(average.cePruned().orElseThrow()).isCloseTo(
                (23 * text.cePruned().orElseThrow() + 10 * audio.cePruned().orElseThrow()) / 33, within(1e-12));
        assertThat(average.klMax()).isEqualTo(Math.max(text.klMax(), audio.klMax()));
    }

    private static List<Integer> ids(JsonNode array) {
        List<Integer> ids = new ArrayList<>();
        array.forEach(id -> ids.add(id.asInt()));
        return ids;
    }

    private static void assertRelative(String what, double actual, double expected) {
        assertThat(Math.abs(actual - expected) / Math.abs(expected)).as(what + ": " + actual + " vs " + expected)
                .isLessThanOrEqualTo(RELATIVE_TOLERANCE);
    }
}
