package io.reapomni.common.evaluation;

import io.reapomni.common.calibration.SkippedSample;

import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * A {@link QualityReport} as Markdown tables: per sample and on average the metrics side by side, what float16 could
 * not keep of each model's weights when it lost any, then each model's greedy continuation, then the samples that
 * could not be evaluated and why. Shared by {@code REPORT.md}, {@code reap-omni scores} and
 * {@code reap-omni evaluate}.
 */
public final class QualityTables {
    private QualityTables() {
    }

    /** The tables, without a heading: the caller says what the samples were. */
    public static String render(QualityReport report) {
        StringBuilder md = new StringBuilder();
        md.append("| sample | tokens | KL mean (nats) | KL max | top-1 agreement | CE original | CE pruned |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (SampleQuality sample : report.samples()) {
            md.append("| ").append(cell(sample.id())).append(" | ").append(sample.tokens()).append(" | ")
                    .append(number(sample.klMean())).append(" | ").append(number(sample.klMax())).append(" | ")
                    .append(percent(sample.top1Agreement())).append(" | ").append(entropy(sample.ceOriginal()))
                    .append(" | ").append(entropy(sample.cePruned())).append(" |\n");
        }
        report.average().ifPresent(average -> md.append("| **average** (token-weighted, ").append(average.samples())
                .append(average.samples() == 1 ? " sample" : " samples").append(") | ").append(average.positions())
                .append(" positions | ").append(number(average.klMean())).append(" | ")
                .append(number(average.klMax())).append(" | ").append(percent(average.top1Agreement()))
                .append(" | ").append(entropy(average.ceOriginal())).append(" | ")
                .append(entropy(average.cePruned())).append(" |\n"));
        List<String> losses = report.conversionLossLines();
        if (!losses.isEmpty()) {
            md.append("\n");
            losses.forEach(line -> md.append("- ").append(line).append("\n"));
        }
        if (report.generateTokens() > 0 && !report.samples().isEmpty()) {
            md.append("\nGreedy continuations (up to ").append(report.generateTokens())
                    .append(" new tokens after each sample):\n\n| sample | original | pruned |\n|---|---|---|\n");
            for (SampleQuality sample : report.samples()) {
                md.append("| ").append(cell(sample.id())).append(" | ").append(continuation(sample.generatedOriginal()))
                        .append(" | ").append(continuation(sample.generatedPruned())).append(" |\n");
            }
        }
        if (!report.skipped().isEmpty()) {
            md.append("\nNot evaluated:\n\n");
            for (SkippedSample skipped : report.skipped()) {
                md.append("- `").append(skipped.id().replace("`", "'")).append("`: ").append(cell(skipped.reason()))
                        .append("\n");
            }
        }
        return md.toString();
    }

    /**
     * The decoded text as code (special tokens such as {@code <|im_end|>} shown as they are) and the ids, an
     * end-of-sequence stop marked.
     */
    private static String continuation(Continuation continuation) {
        String ids = continuation.tokenIds().stream().map(String::valueOf).collect(Collectors.joining(" "));
        String text = continuation.text().replace("|", "\\|").replace("\r", "\\r").replace("\n", "\\n");
        String fence = text.contains("`") ? "``" : "`";
        return fence + " " + text + " " + fence + " (" + ids
                + (continuation.stoppedAtEos() ? ", end of sequence" : "") + ")";
    }

    /** Text made safe inside a table cell: no line breaks, pipes or HTML. */
    private static String cell(String text) {
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", "\\r").replace("\n", "\\n")
                .replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String entropy(OptionalDouble value) {
        return value.isPresent() ? String.format(Locale.ROOT, "%.4f", value.getAsDouble()) : "-";
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.4g", value);
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
    }
}
