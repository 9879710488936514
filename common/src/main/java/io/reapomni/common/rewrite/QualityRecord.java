package io.reapomni.common.rewrite;

import io.reapomni.common.evaluation.QualityReport;
import io.reapomni.common.storage.CopyListener;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.Segment;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adds the evaluation of a published model to its report: {@code reap-report.json}, {@code REPORT.md} and the
 * figures are written again with the quality, each replaced whole, and the manifest last, with their new sizes and
 * digests. Only report files change; the model's own files are not touched. Doing it twice gives the same output,
 * so a redelivered result is harmless.
 */
public final class QualityRecord {

    private QualityRecord() {
    }

    /** The output's manifest and report after recording. */
    public record Recorded(Manifest manifest, RewriteReport report) {
    }

    /**
     * @param output the published output of job {@code jobId}
     * @throws OutputExistsException when the output holds another job's model, or none
     */
    public static Recorded add(ObjectStore output, String jobId, QualityReport quality) throws IOException {
        if (!output.exists(Manifest.FILE_NAME)) {
            throw new OutputExistsException(output.location(), "holds no published model of job " + jobId);
        }
        Manifest manifest = ReportFiles.readManifest(output);
        if (!manifest.jobId().equals(jobId)) {
            throw new OutputExistsException(output.location(), "holds the model published by job " + manifest.jobId());
        }
        RewriteReport report = ReportFiles.readReport(output).withQuality(quality);
        Map<String, ManifestEntry> entries = new LinkedHashMap<>();
        manifest.files().forEach(entry -> entries.put(entry.path(), entry));
        for (Map.Entry<String, byte[]> file : ReportFiles.of(report).entrySet()) {
            List<Segment> content = List.of(new Segment.Bytes(file.getValue()));
            output.write(file.getKey(), content, CopyListener.NONE);
            entries.put(file.getKey(), new ManifestEntry(file.getKey(), file.getValue().length,
                    SegmentDigest.sha256(content)));
        }
        Manifest recorded = new Manifest(manifest.schemaVersion(), manifest.jobId(), manifest.fingerprint(),
                manifest.source(), new ArrayList<>(entries.values()));
        output.write(Manifest.FILE_NAME, List.of(new Segment.Bytes(ReportFiles.json(recorded))),
                CopyListener.NONE);
        return new Recorded(recorded, report);
    }
}
