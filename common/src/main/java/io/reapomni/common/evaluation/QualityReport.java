package io.reapomni.common.evaluation;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.reapomni.common.calibration.SkippedSample;
import io.reapomni.common.json.StrictJson;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The quality of a pruned model against its original on samples {@code [firstSample, firstSample + sampleCount)} of
 * one JSONL file (numbered from 0 as {@code SampleLines} counts them): per sample, the samples that could not be
 * evaluated and why, and the token-weighted average. What {@code reap-omni evaluate --output} writes, and what a
 * job's report holds.
 *
 * @param original       where the original model was read
 * @param pruned         where the pruned model was read
 * @param data           the JSONL file the samples came from
 * @param generateTokens the greedy tokens asked of each model after each sample
 * @param conversionLoss what converting each model's weights into float16 could not keep; empty in a report written
 *                       before evaluations counted it (schema version 1)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record QualityReport(
        int schemaVersion,
        String original,
        String pruned,
        String data,
        int firstSample,
        int sampleCount,
        int generateTokens,
        List<SampleQuality> samples,
        List<SkippedSample> skipped,
        Optional<QualityAverage> average,
        Optional<ConversionLossByModel> conversionLoss) {

    /** 2: what float16 could not keep of each model's weights ({@link #conversionLoss}). */
    public static final int SCHEMA_VERSION = 2;

    public QualityReport {
        Objects.requireNonNull(original, "original");
        Objects.requireNonNull(pruned, "pruned");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(conversionLoss, "conversionLoss");
        samples = List.copyOf(samples);
        skipped = List.copyOf(skipped);
        if (!average.equals(QualityAverage.of(samples))) {
            throw new IllegalArgumentException("the average does not follow from the samples");
        }
    }

    /** The report of these samples, with their average. */
    public static QualityReport of(String original, String pruned, String data, int firstSample, int sampleCount,
                                   int generateTokens, List<SampleQuality> samples, List<SkippedSample> skipped,
                                   ConversionLossByModel conversionLoss) {
        return new QualityReport(SCHEMA_VERSION, original, pruned, data, firstSample, sampleCount, generateTokens,
                samples, skipped, QualityAverage.of(samples), Optional.of(conversionLoss));
    }

    /** One line for people per model whose weights float16 could not keep whole; none in a report without counts. */
    public List<String> conversionLossLines() {
        return conversionLoss.map(ConversionLossByModel::lines).orElse(List.of());
    }

    public byte[] toJson() throws IOException {
        return StrictJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
    }

    /**
     * A report; one that an earlier version wrote reads without the (optional) fields added since.
     *
     * @throws IOException also when the document is not a report of this shape; the message names the field
     */
    public static QualityReport fromJson(byte[] json) throws IOException {
        return StrictJson.readRecord(json, QualityReport.class);
    }
}
