package io.reapomni.common.calibration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reapomni.common.job.Modality;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StatsJsonTest {

    private static ModalityStats sample(double saliency, long count) {
        return new ModalityStats(1, 4, List.of(new SkippedSample("x", "missing file")),
                List.of(new ExpertLayerStats(0, new double[] {saliency, 0}, new long[] {count, 0},
                        new double[] {0.5, 0})),
                List.of(new CosineStats(0, 1, 3.5, 4)));
    }

    @Test
    void jsonHasTheShapeScoringReads() throws IOException {
        byte[] json = CalibrationStats.of(Modality.AUDIO, sample(1.25, 2)).toJson();
        JsonNode audio = new ObjectMapper().readTree(json).path("modalities").path("audio");
        assertThat(audio.path("samples").asLong()).isEqualTo(1);
        assertThat(audio.path("tokens").asLong()).isEqualTo(4);
        assertThat(audio.path("skipped").get(0).path("reason").asText()).isEqualTo("missing file");
        JsonNode layer = audio.path("experts").get(0);
        assertThat(layer.path("layer").asInt()).isEqualTo(0);
        assertThat(layer.path("saliency_sum").get(0).asDouble()).isEqualTo(1.25);
        assertThat(layer.path("routed_count").get(0).asLong()).isEqualTo(2);
        assertThat(layer.path("gate_weight_sum").get(0).asDouble()).isEqualTo(0.5);
        JsonNode cosine = audio.path("cosine").get(0);
        assertThat(cosine.path("offset").asInt()).isEqualTo(1);
        assertThat(cosine.path("sum").asDouble()).isEqualTo(3.5);
        assertThat(cosine.path("tokens").asLong()).isEqualTo(4);
    }

    @Test
    void mergeAddsSumsAndCountsAndKeepsSkippedSamples() {
        ModalityStats merged = sample(1.25, 2).plus(sample(0.75, 3));
        assertThat(merged.samples()).isEqualTo(2);
        assertThat(merged.tokens()).isEqualTo(8);
        assertThat(merged.skipped()).hasSize(2);
        assertThat(merged.experts().get(0).saliencySum()).containsExactly(2.0, 0.0);
        assertThat(merged.experts().get(0).routedCount()).containsExactly(5L, 0L);
        assertThat(merged.cosine()).containsExactly(new CosineStats(0, 1, 7.0, 8));
        assertThat(merged.cosine().get(0).mean()).isEqualTo(7.0 / 8);
    }

    @Test
    void aDocumentReadsBackEqual() throws IOException {
        CalibrationStats stats = CalibrationStats.of(Modality.AUDIO, sample(1.25, 2))
                .plus(CalibrationStats.of(Modality.MIXED, sample(0.75, 3)));
        assertThat(CalibrationStats.fromJson(stats.toJson())).isEqualTo(stats);
    }

    @Test
    void readingRejectsWhatCalibrationNeverWrites() {
        String audio = "{\"samples\": 1, \"tokens\": 4, \"skipped\": [], \"cosine\": [], \"experts\": ";
        String layer = "{\"layer\": 0, \"saliency_sum\": [1.0], \"routed_count\": [1], \"gate_weight_sum\": [1.0]}";
        assertThatThrownBy(() -> read("{\"modalities\": 3}")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> read("{\"modalities\": {\"speech\": " + audio + "[]}}}"))
                .isInstanceOf(IOException.class).hasMessageContaining("unknown modality \"speech\"");
        assertThatThrownBy(() -> read("{\"modalities\": {\"audio\": {\"samples\": 1}}}"))
                .isInstanceOf(IOException.class).hasMessageContaining("tokens");
        assertThatThrownBy(() -> read("{\"modalities\": {\"audio\": " + audio + "[" + layer + ", " + layer
                + "]}}}")).isInstanceOf(IOException.class).hasMessageContaining("layer 0 is listed twice");
        assertThatThrownBy(() -> read("{\"modalities\": {\"audio\": " + audio + "["
                + layer.replace("[1]", "[-1]") + "]}}}")).isInstanceOf(IOException.class)
                .hasMessageContaining("routed count >= 0");
    }

    private static CalibrationStats read(String json) throws IOException {
        return CalibrationStats.fromJson(json.getBytes(StandardCharsets.UTF_8));
    }
}
