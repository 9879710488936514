package io.reapomni.common.evaluation;

import io.reapomni.common.calibration.ConversionLoss;
import io.reapomni.common.calibration.SkippedSample;
import io.reapomni.common.json.StrictJson;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class QualityReportTest {
    private static final SampleQuality SPEECH = new SampleQuality("speech", 31, 30, 10, 0.02, 0.05, 0.9,
            OptionalDouble.of(2.0), OptionalDouble.of(2.5),
            new Continuation(List.of(5, 6), "a|b\nc", false), new Continuation(List.of(5, 7), "a `x`", true));
    private static final SampleQuality PROMPT_ONLY = new SampleQuality("prompt", 11, 10, 0, 0.08, 0.1, 0.5,
            OptionalDouble.empty(), OptionalDouble.empty(),
            new Continuation(List.of(1), "x", false), new Continuation(List.of(1), "x", false));

    @Test
    void averagesWeighKlAndAgreementByPositionsAndEntropyByTextPositions() {
        QualityAverage average = QualityAverage.of(List.of(SPEECH, PROMPT_ONLY)).orElseThrow();
        assertThat(average.positions()).isEqualTo(40);
        assertThat(average.klMean()).isCloseTo((30 * 0.02 + 10 * 0.08) / 40, within(1e-15));
        assertThat(average.klMax()).isEqualTo(0.1);
        assertThat(average.top1Agreement()).isCloseTo((30 * 0.9 + 10 * 0.5) / 40, within(1e-15));
        assertThat(average.ceOriginal()).hasValue(2.0);
        assertThat(average.cePruned()).hasValue(2.5);
        assertThat(average.describe("held-out audio samples")).isEqualTo("quality on 2 held-out audio samples:"
                + " KL 0.0350 nats/token, top-1 agreement 80.0%, cross-entropy 2.00 -> 2.50");
    }

    @Test
    void noSampleHasNoAverage() {
        assertThat(QualityAverage.of(List.of())).isEmpty();
    }

    @Test
    void theJsonDocumentReadsBackAsTheSameReport() throws IOException {
        QualityReport report = QualityReport.of("model", "out", "calib/audio.jsonl", 6, 2, 8,
                List.of(SPEECH, PROMPT_ONLY), List.of(new SkippedSample("lost", "audio.jsonl line 9: missing media")),
                new ConversionLossByModel(new ConversionLoss(3, 0), new ConversionLoss(0, 5)));
        String json = new String(report.toJson(), StandardCharsets.UTF_8);
        assertThat(json).contains("\"kl_mean\"", "\"top1_agreement\"", "\"ce_original\" : null",
                "\"generated_pruned\"", "\"stopped_at_eos\" : true", "\"first_sample\" : 6", "\"schema_version\" : 2");
        assertThat(StrictJson.DOCUMENTS.readTree(json).path("conversion_loss")).isEqualTo(StrictJson.DOCUMENTS.readTree(
                "{\"original\": {\"clamped\": 3, \"flushed_to_zero\": 0},"
                        + " \"pruned\": {\"clamped\": 0, \"flushed_to_zero\": 5}}"));
        assertThat(QualityReport.fromJson(report.toJson())).isEqualTo(report);
    }

    /** What {@code evaluate --output} wrote before evaluations counted what float16 could not keep. */
    @Test
    void aReportWrittenBeforeConversionLossWasCountedReadsWithoutIt() throws IOException {
        String written = """
                {
                  "schema_version" : 1,
                  "original" : "model",
                  "pruned" : "out",
                  "data" : "calib/audio.jsonl",
                  "first_sample" : 6,
                  "sample_count" : 1,
                  "generate_tokens" : 1,
                  "samples" : [ {
                    "id" : "prompt", "tokens" : 11, "positions" : 10, "text_positions" : 0,
                    "kl_mean" : 0.25, "kl_max" : 0.5, "top1_agreement" : 0.5, "ce_original" : null, "ce_pruned" : null,
                    "generated_original" : { "token_ids" : [ 1 ], "text" : "x", "stopped_at_eos" : false },
                    "generated_pruned" : { "token_ids" : [ 2 ], "text" : "y", "stopped_at_eos" : true }
                  } ],
                  "skipped" : [ ],
                  "average" : {
                    "samples" : 1, "positions" : 10, "text_positions" : 0,
                    "kl_mean" : 0.25, "kl_max" : 0.5, "top1_agreement" : 0.5, "ce_original" : null, "ce_pruned" : null
                  }
                }
                """;

        QualityReport report = QualityReport.fromJson(written.getBytes(StandardCharsets.UTF_8));

        assertThat(report.schemaVersion()).isEqualTo(1);
        assertThat(report.conversionLoss()).isEmpty();
        assertThat(report.samples()).singleElement().satisfies(sample -> {
            assertThat(sample.klMean()).isEqualTo(0.25);
            assertThat(sample.generatedPruned()).isEqualTo(new Continuation(List.of(2), "y", true));
        });
        assertThat(report.average().orElseThrow().klMean()).isEqualTo(0.25);
        assertThat(QualityTables.render(report)).doesNotContain("float16");
        assertThatThrownBy(() -> QualityReport.fromJson(written.replace("\"data\" : \"calib/audio.jsonl\",", "")
                .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("'data'");
    }

    @Test
    void aReportWhoseAverageDoesNotAddUpIsRefused() {
        assertThatThrownBy(() -> new QualityReport(QualityReport.SCHEMA_VERSION, "model", "out", "data", 0, 1, 8,
                List.of(SPEECH), List.of(), QualityAverage.of(List.of(PROMPT_ONLY)),
                Optional.of(ConversionLossByModel.NONE)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void crossEntropiesAreGivenExactlyWhenTheSampleHasTextPositions() {
        assertThatThrownBy(() -> new SampleQuality("s", 3, 2, 1, 0, 0, 1, OptionalDouble.empty(),
                OptionalDouble.empty(), SPEECH.generatedOriginal(), SPEECH.generatedPruned()))
                .hasMessageContaining("cross-entropies");
    }

    @Test
    void metricsThatAreNotFiniteAreRefused() {
        assertThatThrownBy(() -> new SampleQuality("s", 31, 30, 10, Double.NaN, 0.05, 0.9, OptionalDouble.of(2.0),
                OptionalDouble.of(2.5), SPEECH.generatedOriginal(), SPEECH.generatedPruned()))
                .hasMessageContaining("sample s: its metrics must be finite").hasMessageContaining("KL mean NaN");
        assertThatThrownBy(() -> new SampleQuality("s", 31, 30, 10, 0.02, 0.05, 0.9, OptionalDouble.of(2.0),
                OptionalDouble.of(Double.POSITIVE_INFINITY), SPEECH.generatedOriginal(), SPEECH.generatedPruned()))
                .hasMessageContaining("Infinity");
        assertThatThrownBy(() -> new SampleQuality("s", 31, 30, 10, 0.02, 0.05, 1.5, OptionalDouble.of(2.0),
                OptionalDouble.of(2.5), SPEECH.generatedOriginal(), SPEECH.generatedPruned()))
                .hasMessageContaining("top-1 agreement 1.5");
    }

    @Test
    void tablesShowEverySampleTheAverageTheContinuationsAndTheSkipped() {
        String tables = QualityTables.render(QualityReport.of("model", "out", "audio.jsonl", 0, 3, 8,
                List.of(SPEECH, PROMPT_ONLY), List.of(new SkippedSample("lost", "missing | media")),
                ConversionLossByModel.NONE));
        assertThat(tables).contains("| speech | 31 | 0.02000 | 0.05000 | 90.0% | 2.0000 | 2.5000 |",
                "| prompt | 11 | 0.08000 | 0.1000 | 50.0% | - | - |",
                "| **average** (token-weighted, 2 samples) | 40 positions | 0.03500 |",
                "| speech | ` a\\|b\\nc ` (5 6) | `` a `x` `` (5 7, end of sequence) |",
                "- `lost`: missing \\| media")
                .doesNotContain("float16");
    }

    @Test
    void tablesSayWhatFloat16CouldNotKeepOfEachModelThatLostSomething() {
        String pruned = QualityTables.render(QualityReport.of("model", "out", "audio.jsonl", 0, 1, 8, List.of(SPEECH),
                List.of(), new ConversionLossByModel(ConversionLoss.NONE, new ConversionLoss(2, 7))));
        String both = QualityTables.render(QualityReport.of("model", "out", "audio.jsonl", 0, 1, 8, List.of(SPEECH),
                List.of(), new ConversionLossByModel(new ConversionLoss(0, 1), new ConversionLoss(4, 0))));

        assertThat(pruned).contains("\n- pruned model, float16: 2 weights beyond float16's range clamped to ±65504, 7"
                + " weights below float16's smallest value flushed to zero\n").doesNotContain("original model");
        assertThat(both).contains(
                "\n- original model, float16: 0 weights beyond float16's range clamped to ±65504, 1 weights below",
                "\n- pruned model, float16: 4 weights beyond float16's range clamped to ±65504, 0 weights below");
    }
}
