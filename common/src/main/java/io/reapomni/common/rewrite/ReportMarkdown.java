package io.reapomni.common.rewrite;

import io.reapomni.common.evaluation.QualityReport;
import io.reapomni.common.evaluation.QualityTables;
import io.reapomni.common.format.Units;
import io.reapomni.common.plan.ScoringEvidence;
import io.reapomni.common.report.Figure;
import io.reapomni.common.report.ReportFigures;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** {@code REPORT.md}: the report as tables a person reads beside the model, with its figures embedded. */
final class ReportMarkdown {
    private ReportMarkdown() {
    }

    static String render(RewriteReport report, List<Figure> figures) {
        StringBuilder md = new StringBuilder();
        md.append("# reap-omni report\n\n");
        md.append("- job: `").append(report.jobId()).append("`\n");
        md.append("- source: `").append(report.source()).append("`\n");
        md.append("- output: `").append(report.output()).append("`\n");
        md.append("- parameters: ").append(Units.count(report.parametersBefore())).append(" → ")
                .append(Units.count(report.parametersAfter())).append(" (")
                .append(Units.change(report.parametersBefore(), report.parametersAfter())).append(")\n");
        md.append("- size: ").append(Units.bytes(report.bytesBefore())).append(" → ")
                .append(Units.bytes(report.bytesAfter())).append("\n");
        RewriteReport.TensorCounts tensors = report.tensors();
        md.append("- tensors: ").append(tensors.removed()).append(" removed, ").append(tensors.kept())
                .append(" kept, ").append(tensors.renamed()).append(" renumbered, ").append(tensors.sliced())
                .append(" routers sliced\n");
        report.quality().flatMap(QualityReport::average).ifPresent(average -> md.append("- ")
                .append(average.describe("held-out audio samples")).append("\n"));
        md.append("\n");

        md.append("## Components\n\n| component | parameters before | after | size before | after | change |\n")
                .append("|---|---:|---:|---:|---:|---:|\n");
        for (RewriteReport.ComponentRow row : report.components()) {
            md.append("| ").append(row.component()).append(" | ").append(Units.count(row.parametersBefore()))
                    .append(" | ").append(Units.count(row.parametersAfter())).append(" | ")
                    .append(Units.bytes(row.bytesBefore())).append(" | ").append(Units.bytes(row.bytesAfter()))
                    .append(" | ").append(Units.change(row.bytesBefore(), row.bytesAfter())).append(" |\n");
        }
        embed(md, figures, ReportFigures.PARAMETERS);

        for (RewriteReport.StackRow stack : report.stacks()) {
            md.append("\n## Decoder stack: ").append(stack.stack()).append("\n\n");
            md.append("- layers: ").append(stack.layersBefore()).append(" → ").append(stack.layersAfter());
            if (!stack.removedLayers().isEmpty()) {
                md.append(" (removed: ").append(ids(stack.removedLayers())).append(")");
            }
            md.append("\n- experts per MoE layer: ").append(stack.expertsBefore()).append(" → ")
                    .append(stack.expertsAfter()).append("\n");
            if (!stack.experts().isEmpty()) {
                md.append("\n| layer | new layer | kept experts (new ids 0..").append(stack.expertsAfter() - 1)
                        .append(") | dropped experts |\n|---:|---:|---|---|\n");
                for (RewriteReport.LayerExperts layer : stack.experts()) {
                    md.append("| ").append(layer.layer()).append(" | ").append(layer.newLayer()).append(" | ")
                            .append(ids(layer.kept())).append(" | ").append(ids(layer.dropped())).append(" |\n");
                }
            }
        }

        appendQuality(report, figures, md);
        appendScores(report, figures, md);

        md.append("\n## Files\n\n| shard | from | tensors | size |\n|---|---|---:|---:|\n");
        for (RewriteReport.ShardRow shard : report.shards()) {
            md.append("| ").append(shard.file()).append(" | ").append(shard.source()).append(" | ")
                    .append(shard.tensors()).append(" | ").append(Units.bytes(shard.bytes())).append(" |\n");
        }
        TransferStats transfer = report.transfer();
        md.append("\nShards written in ").append(String.format(java.util.Locale.ROOT, "%.1f s", transfer.seconds()))
                .append(": ").append(Units.bytes(transfer.bytesCopiedInPlace())).append(" copied in place (kernel or server side), ")
                .append(Units.bytes(transfer.bytesStreamed())).append(" streamed through the process.\n");
        if (transfer.bytesKept() > 0) {
            md.append("\nResumed after an interruption: ").append(Units.bytes(transfer.bytesKept()))
                    .append(" already written by the interrupted run were verified (size and SHA-256) and kept.\n");
        }
        md.append("\nThe plan is in `").append(RewriteReport.JSON_FILE).append("` (field `plan`); file sizes and SHA-256 in `")
                .append(Manifest.FILE_NAME).append("`.\n");
        return md.toString();
    }

    /**
     * The written model against its original on the samples held out of calibration, with the command that measures
     * the same again.
     */
    private static void appendQuality(RewriteReport report, List<Figure> figures, StringBuilder md) {
        if (report.quality().isEmpty()) {
            return;
        }
        QualityReport quality = report.quality().get();
        md.append("\n## Quality on held-out samples\n\n")
                .append("The written model against the original, teacher-forced over each sample: mean KL divergence")
                .append(" of the next-token distributions (nats per position), top-1 agreement, and each model's")
                .append(" cross-entropy of the text tokens; then a greedy continuation from each. Samples ")
                .append(quality.firstSample()).append("..").append(quality.firstSample() + quality.sampleCount() - 1)
                .append(" of `").append(quality.data()).append("`, which no calibration task ran.\n");
        if (report.thinkerUnchanged()) {
            md.append("\nThe plan leaves the thinker's layers and experts as they were: the written model predicts")
                    .append(" exactly what the original does, so KL is 0 and top-1 agreement 100% by construction,")
                    .append(" which the evaluation confirms.\n");
        }
        embed(md, figures, ReportFigures.QUALITY);
        md.append("\n").append(QualityTables.render(quality));
        md.append(String.format(Locale.ROOT, "%nTo measure it again: `reap-omni evaluate -m %s --pruned %s --data %s"
                        + " --first-sample %d --samples %d --generate-tokens %d`%n", report.source(), report.output(),
                quality.data(), quality.firstSample(), quality.sampleCount(), quality.generateTokens()));
    }

    /** A plan with listed experts and layers has no scores; a hand-edited plan may have broken ones. */
    private static void appendScores(RewriteReport report, List<Figure> figures, StringBuilder md) {
        try {
            ScoringEvidence.fromPlanEvidence(report.plan().path("evidence")).ifPresent(evidence -> {
                if (ReportFigures.find(figures, ReportFigures.AFFINITY).isPresent()
                        || ReportFigures.find(figures, ReportFigures.LAYER_SIMILARITY).isPresent()) {
                    md.append("\n## Scores at a glance\n");
                    embed(md, figures, ReportFigures.AFFINITY);
                    embed(md, figures, ReportFigures.LAYER_SIMILARITY);
                }
                md.append("\n").append(ScoreTables.render(evidence));
            });
        } catch (IllegalArgumentException e) {
            md.append("\n## Scores\n\nNot shown: ").append(e.getMessage()).append("\n");
        }
    }

    private static void embed(StringBuilder md, List<Figure> figures, String file) {
        ReportFigures.find(figures, file).ifPresent(figure -> md.append("\n![").append(figure.caption()).append("](")
                .append(figure.file()).append(")\n"));
    }

    private static String ids(List<Integer> ids) {
        return ids.isEmpty() ? "-" : ids.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }
}
