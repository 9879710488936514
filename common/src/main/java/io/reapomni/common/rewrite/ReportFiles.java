package io.reapomni.common.rewrite;

import io.reapomni.common.json.StrictJson;
import io.reapomni.common.report.Figure;
import io.reapomni.common.report.ReportFigures;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.ReadLimits;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Serialises the manifest and the report: JSON for tools, Markdown and SVG figures for people. */
public final class ReportFiles {
    /** Every file a report may be written in: the JSON, the Markdown and the figures. */
    public static final Set<String> NAMES = names();

    private ReportFiles() {
    }

    static byte[] json(Object value) {
        try {
            return (StrictJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("reports are plain records and always serialise", e);
        }
    }

    /** A manifest; one that an earlier version wrote reads without the (optional) fields added since. */
    public static Manifest readManifest(byte[] json) throws IOException {
        return StrictJson.readRecord(json, Manifest.class);
    }

    /** A report; one that an earlier version wrote reads without the (optional) fields added since. */
    public static RewriteReport readReport(byte[] json) throws IOException {
        return StrictJson.readRecord(json, RewriteReport.class);
    }

    /** The manifest published in {@code store}, read within {@link ReadLimits#REPORT_BYTES}. */
    public static Manifest readManifest(ObjectStore store) throws IOException {
        return readManifest(store.readAll(Manifest.FILE_NAME, ReadLimits.REPORT_BYTES));
    }

    /** The report published in {@code store}, read within {@link ReadLimits#REPORT_BYTES}. */
    public static RewriteReport readReport(ObjectStore store) throws IOException {
        return readReport(store.readAll(RewriteReport.JSON_FILE, ReadLimits.REPORT_BYTES));
    }

    /** The files of {@code report}, by name, in the order they are written: JSON, Markdown, figures. */
    static Map<String, byte[]> of(RewriteReport report) {
        List<Figure> figures = report.figures();
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(RewriteReport.JSON_FILE, json(report));
        files.put(RewriteReport.MARKDOWN_FILE, ReportMarkdown.render(report, figures).getBytes(StandardCharsets.UTF_8));
        for (Figure figure : figures) {
            files.put(figure.file(), figure.svg());
        }
        return files;
    }

    private static Set<String> names() {
        Set<String> names = new HashSet<>(ReportFigures.FILES);
        names.add(RewriteReport.JSON_FILE);
        names.add(RewriteReport.MARKDOWN_FILE);
        return Set.copyOf(names);
    }
}
