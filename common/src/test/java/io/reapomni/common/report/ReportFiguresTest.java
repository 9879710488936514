package io.reapomni.common.report;

import io.reapomni.common.calibration.SkippedSample;
import io.reapomni.common.evaluation.Continuation;
import io.reapomni.common.evaluation.ConversionLossByModel;
import io.reapomni.common.evaluation.QualityReport;
import io.reapomni.common.evaluation.SampleQuality;
import io.reapomni.common.job.SaliencyNormalization;
import io.reapomni.common.plan.ScoringEvidence;
import io.reapomni.common.plan.ScoringEvidence.BlockScore;
import io.reapomni.common.plan.ScoringEvidence.BlockStatus;
import io.reapomni.common.plan.ScoringEvidence.ExpertScore;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The report's figures are valid SVG and show the numbers they claim to. */
class ReportFiguresTest {
    private static final int EXPERTS = 8;
    /** Layers 0, 2 and 3 scored (layer 1 dropped); in layer l the experts kept are l, l+1, l+2 and l+3. */
    private static final List<Integer> SCORED = List.of(0, 2, 3);

    @Test
    void aFigureHasTheSameBytesWhateverOrderItsDataCameIn() {
        Map<String, String> oneOrder = new LinkedHashMap<>();
        oneOrder.put("parameters", "25664");
        oneOrder.put("component", "audio_tower");
        Map<String, String> otherOrder = new LinkedHashMap<>();
        otherOrder.put("component", "audio_tower");
        otherOrder.put("parameters", "25664");

        byte[] first = new Svg(10, 10, "bars").rect(0, 0, 1, 1, "before", "#000", null, oneOrder).bytes();
        byte[] second = new Svg(10, 10, "bars").rect(0, 0, 1, 1, "before", "#000", null, otherOrder).bytes();

        assertThat(first).isEqualTo(second);
        assertThat(new String(first, StandardCharsets.UTF_8))
                .contains("data-component=\"audio_tower\" data-parameters=\"25664\"");
    }

    @Test
    void theHeatmapHasACellPerScoredLayerAndExpertWithTheKeptOnesMarked() throws Exception {
        SvgDocument heatmap = SvgDocument.parse(figure(ReportFigures.AFFINITY).svg());

        List<Element> cells = heatmap.elements("rect", "cell");
        assertThat(cells).hasSize(SCORED.size() * EXPERTS);
        for (Element cell : cells) {
            int layer = Integer.parseInt(cell.getAttribute("data-layer"));
            int expert = Integer.parseInt(cell.getAttribute("data-expert"));
            assertThat(Double.parseDouble(cell.getAttribute("data-affinity"))).isEqualTo(affinity(layer, expert));
            assertThat(cell.getAttribute("class").contains("kept")).isEqualTo(kept(layer, expert));
        }
        for (int layer : SCORED) {
            Set<Integer> marked = new TreeSet<>();
            heatmap.elements("rect", "cell", "kept").stream()
                    .filter(cell -> cell.getAttribute("data-layer").equals(String.valueOf(layer)))
                    .forEach(cell -> marked.add(Integer.parseInt(cell.getAttribute("data-expert"))));
            assertThat(marked).containsExactly(layer, layer + 1, layer + 2, layer + 3);
        }
        assertThat(heatmap.elements("rect", "dropped-layer")).singleElement()
                .satisfies(row -> assertThat(row.getAttribute("data-layer")).isEqualTo("1"));
        assertThat(heatmap.title()).isEqualTo("Audio affinity of every expert, thinker");
    }

    @Test
    void theSimilarityCurveHasAPointPerBlockAndShadesTheDroppedOnes() throws Exception {
        SvgDocument curve = SvgDocument.parse(figure(ReportFigures.LAYER_SIMILARITY).svg());

        List<Element> points = curve.elements("circle", "block");
        assertThat(points).extracting(point -> point.getAttribute("data-first")).containsExactly("0", "1", "2", "3");
        assertThat(points).extracting(point -> Double.parseDouble(point.getAttribute("data-cosine")))
                .containsExactly(0.99, 0.95, 0.7, 0.98);
        assertThat(curve.elements("rect", "dropped")).singleElement().satisfies(block -> {
            assertThat(block.getAttribute("data-first")).isEqualTo("1");
            assertThat(block.getAttribute("data-last")).isEqualTo("1");
        });
        assertThat(curve.elements("polyline", "curve")).hasSize(1);
    }

    @Test
    void theParameterBarsShowEveryComponentBeforeAndAfter() throws Exception {
        SvgDocument bars = SvgDocument.parse(figure(ReportFigures.PARAMETERS).svg());

        assertThat(bars.elements("rect", "before")).extracting(bar -> bar.getAttribute("data-component") + "="
                + bar.getAttribute("data-parameters")).containsExactly("vision=1000", "thinker_text=5000");
        assertThat(bars.elements("rect", "after")).extracting(bar -> bar.getAttribute("data-component") + "="
                + bar.getAttribute("data-parameters")).containsExactly("vision=0", "thinker_text=2500");
    }

    @Test
    void theQualityChartHasTheKlAndAgreementOfEverySampleAndTheAverage() throws Exception {
        SvgDocument chart = SvgDocument.parse(figure(ReportFigures.QUALITY).svg());

        assertThat(chart.elements("rect", "sample", "kl")).extracting(bar -> bar.getAttribute("data-sample") + "="
                + bar.getAttribute("data-kl")).containsExactly("clip <1> & \"more\"=0.02", "clip-2=0.08");
        assertThat(chart.elements("rect", "sample", "top1")).extracting(bar -> bar.getAttribute("data-top1"))
                .containsExactly("0.9", "0.5");
        assertThat(chart.elements("rect", "average", "kl")).singleElement()
                .satisfies(bar -> assertThat(Double.parseDouble(bar.getAttribute("data-kl")))
                        .isEqualTo(quality().average().orElseThrow().klMean()));
    }

    @Test
    void aPlanWithoutScoresOrQualityDrawsOnlyItsParameters() {
        assertThat(ReportFigures.of(components(), Optional.empty(), Optional.empty()))
                .extracting(Figure::file).containsExactly(ReportFigures.PARAMETERS);
    }

    private static Figure figure(String file) {
        return ReportFigures.find(ReportFigures.of(components(), Optional.of(evidence()), Optional.of(quality())),
                file).orElseThrow(() -> new AssertionError("no figure " + file));
    }

    private static List<ComponentBar> components() {
        return List.of(new ComponentBar("vision", 1000, 0), new ComponentBar("thinker_text", 5000, 2500));
    }

    private static double affinity(int layer, int expert) {
        return kept(layer, expert) ? 1 + expert * 0.1 : 0.01 * expert;
    }

    private static boolean kept(int layer, int expert) {
        return expert >= layer && expert < layer + 4;
    }

    private static ScoringEvidence evidence() {
        List<ScoringEvidence.LayerExperts> layers = new ArrayList<>();
        for (int layer : SCORED) {
            List<ExpertScore> scores = new ArrayList<>();
            for (int expert = 0; expert < EXPERTS; expert++) {
                double a = affinity(layer, expert);
                scores.add(new ExpertScore(expert, a, 0, 0, a, kept(layer, expert)));
            }
            layers.add(new ScoringEvidence.LayerExperts(layer, scores));
        }
        return new ScoringEvidence("thinker", List.of(new ScoringEvidence.ModalityData("audio", 3, 120, List.of())),
                Optional.of(new ScoringEvidence.ExpertScores(SaliencyNormalization.REAP, 1, 1, 0.5, 4, "A = S1",
                        layers)),
                Optional.of(new ScoringEvidence.LayerScores("audio", 1, 0.9, 1, 1, 1,
                        List.of(new BlockScore(0, 0, 0.99, BlockStatus.PROTECTED),
                                new BlockScore(1, 1, 0.95, BlockStatus.CHOSEN),
                                new BlockScore(2, 2, 0.7, BlockStatus.BELOW_THRESHOLD),
                                new BlockScore(3, 3, 0.98, BlockStatus.PROTECTED)),
                        List.of(1))));
    }

    private static QualityReport quality() {
        Continuation text = new Continuation(List.of(1, 2), "hi", false);
        return QualityReport.of("model", "out", "audio.jsonl", 4, 3, 2, List.of(
                new SampleQuality("clip <1> & \"more\"", 31, 30, 10, 0.02, 0.05, 0.9, OptionalDouble.of(2.0),
                        OptionalDouble.of(2.5), text, text),
                new SampleQuality("clip-2", 11, 10, 0, 0.08, 0.1, 0.5, OptionalDouble.empty(),
                        OptionalDouble.empty(), text, text)),
                List.of(new SkippedSample("lost", "missing media")), ConversionLossByModel.NONE);
    }
}
